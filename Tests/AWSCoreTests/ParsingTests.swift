import Testing
@testable import AWSCore
#if canImport(Glibc)
import Glibc
#endif

struct RequestURLTests {
    @Test func keepsPathAndQueryAsTyped() throws {
        let u = try RequestURL(parsing: "https://sts.eu-west-1.amazonaws.com/a%20b/../c?X=1&y=%2F#frag")
        #expect(u.scheme == "https")
        #expect(u.host == "sts.eu-west-1.amazonaws.com")
        #expect(u.port == nil)
        #expect(u.path == "/a%20b/../c")
        #expect(u.query == "X=1&y=%2F")
        #expect(u.hostHeader == "sts.eu-west-1.amazonaws.com")
    }

    @Test func portsAndIPv6() throws {
        #expect(try RequestURL(parsing: "http://127.0.0.1:5000").hostHeader == "127.0.0.1:5000")
        #expect(try RequestURL(parsing: "http://127.0.0.1:80/").hostHeader == "127.0.0.1")
        let v6 = try RequestURL(parsing: "http://[fd00:ec2::254]:8080/latest")
        #expect(v6.host == "fd00:ec2::254")
        #expect(v6.hostHeader == "[fd00:ec2::254]:8080")
        #expect(v6.description == "http://[fd00:ec2::254]:8080/latest")
    }

    @Test func refusesWhatIsNotAURL() {
        #expect(throws: RequestURL.ParseError.missingScheme("example.com")) { try RequestURL(parsing: "example.com") }
        #expect(throws: RequestURL.ParseError.unsupportedScheme("ftp")) { try RequestURL(parsing: "ftp://x") }
        #expect(throws: RequestURL.ParseError.badPort("http://x:99999")) { try RequestURL(parsing: "http://x:99999") }
        #expect(throws: RequestURL.ParseError.forbiddenCharacter("http://x/a b")) { try RequestURL(parsing: "http://x/a b") }
        #expect(throws: RequestURL.ParseError.missingHost("http:///x")) { try RequestURL(parsing: "http:///x") }
    }
}

struct XMLDocumentTests {
    @Test func readsElementsTextEntitiesAndCDATA() throws {
        let root = try XMLDocument.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- comment --><a:Root xmlns:a="x" k='v'><Item>one &lt;&amp;&gt; &#233;&#x41;</Item><Item><![CDATA[<raw>]]></Item><Empty/></a:Root>
            """)
        #expect(root.name == "Root")
        #expect(root.attributes["k"] == "v")
        #expect(root.children.map(\.text) == ["one <&> éA", "<raw>", ""])
        #expect(root.first("Empty") != nil)
    }

    @Test func refusesMalformedDocuments() {
        for bad in ["", "<a>", "<a></b>", "<a>&bogus;</a>", "<a></a><b/>", "<a x=1/>", "text"] {
            #expect(throws: XMLParseError.self, "\(bad)") { try XMLDocument.parse(bad) }
        }
    }
}

struct JSONValueTests {
    @Test func roundTrips() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null],"s":"q\"\\\n\u00e9\ud83d\ude00","o":{}}"#
        let v = try JSONValue.parse(text)
        #expect(v["a"]?.arrayValue?.count == 5)
        #expect(v["s"]?.stringValue == "q\"\\\né😀")
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(v["a"]?.arrayValue?[1] == .number("-2.5e3"))
    }

    @Test func keepsLargeNumbersExactly() throws {
        #expect(try JSONValue.parse("12345678901234567890123") == .number("12345678901234567890123"))
    }

    @Test func refusesMalformedJSON() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"\u{1}\"", "tru", "[1] 2", "{\"a\":1,}"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
    }

    @Test func prettyPrintsLikeTheAWSCLI() {
        let v = JSONValue.object([("A", .string("x")), ("B", .array([.number(1)]))])
        #expect(v.serialized(pretty: true) == "{\n  \"A\": \"x\",\n  \"B\": [\n    1\n  ]\n}")
    }
}

struct TimestampTests {
    @Test func parsesRFC3339() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parse("2026-11-23T04:05:06.789Z") == Timestamp.parse("2026-11-23T04:05:06Z"))
        #expect(Timestamp.parse("2026-11-23T05:05:06+01:00") == Timestamp.parse("2026-11-23T04:05:06Z"))
        #expect(Timestamp.parse("2026-13-23T04:05:06Z") == nil)
        #expect(Timestamp.parse("soon") == nil)
        #expect(Timestamp.format(1_795_406_706) == "2026-11-23T04:05:06Z")
    }
}

struct EndpointResolverTests {
    let env = Environment()

    @Test func defaultsPerService() throws {
        let sts = try EndpointResolver.resolve(.sts, region: "eu-west-1", configured: nil)
        #expect(sts.url.description == "https://sts.eu-west-1.amazonaws.com/")
        #expect(sts.signingRegion == "eu-west-1")
        let iam = try EndpointResolver.resolve(.iam, region: "eu-west-1", configured: nil)
        #expect(iam.url.description == "https://iam.amazonaws.com/")
        #expect(iam.signingRegion == "us-east-1")
        let cn = try EndpointResolver.resolve(.ssm, region: "cn-north-1", configured: nil)
        #expect(cn.url.host == "ssm.cn-north-1.amazonaws.com.cn")
        let global = try EndpointResolver.resolve(.sts, region: nil, configured: nil)
        #expect(global.url.host == "sts.amazonaws.com")
        #expect(throws: ConfigurationError.self) { try EndpointResolver.resolve(.ssm, region: nil, configured: nil) }
    }

    @Test func aConfiguredEndpointKeepsTheSigningRegion() throws {
        let e = try EndpointResolver.resolve(.iam, region: "eu-west-1", configured: ("http://127.0.0.1:3", "--endpoint-url"))
        #expect(e.url.port == 3 && e.signingRegion == "us-east-1" && e.source == "--endpoint-url")
        #expect(throws: ConfigurationError.self) { try EndpointResolver.resolve(.ssm, region: "us-east-1", configured: ("nope", "X")) }
    }
}

struct RedactionTests {
    @Test func hidesSignaturesTokensAndSecrets() {
        #expect(Redaction.headerValue(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcdef")
                == "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=<redacted>")
        #expect(Redaction.headerValue(name: "authorization", value: "Bearer xyz") == "<redacted>")
        #expect(Redaction.headerValue(name: "X-Amz-Security-Token", value: "tok") == "<redacted>")
        #expect(Redaction.headerValue(name: "Content-Type", value: "text/xml") == "text/xml")
        #expect(Redaction.keyId("AKIAIOSFODNN7EXAMPLE") == "AKIA************MPLE")
        #expect(Redaction.secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == "****************EKEY")
    }
}

struct STSEndpointTests {
    @Test func regionalUnlessLegacyForAnOldRegion() throws {
        #expect(try EndpointResolver.resolveSTS(region: "eu-west-1", regionalEndpoints: nil, configured: nil).url.host
                == "sts.eu-west-1.amazonaws.com")
        #expect(try EndpointResolver.resolveSTS(region: "eu-west-1", regionalEndpoints: "legacy", configured: nil).url.host
                == "sts.amazonaws.com")
        #expect(try EndpointResolver.resolveSTS(region: "ap-east-1", regionalEndpoints: "legacy", configured: nil).url.host
                == "sts.ap-east-1.amazonaws.com")
        #expect(throws: ConfigurationError.self) {
            try EndpointResolver.resolveSTS(region: "eu-west-1", regionalEndpoints: "global", configured: nil)
        }
    }
}

struct SubprocessTests {
    @Test func capturesOutputAndStatus() throws {
        let r = try Subprocess.run(["sh", "-c", "printf out; printf err >&2; exit 9"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 9)
        #expect(String(decoding: r.standardOutput, as: UTF8.self) == "out")
        #expect(String(decoding: r.standardError, as: UTF8.self) == "err")
        #expect(throws: Subprocess.LaunchError.self) { try Subprocess.run(["/no/such/program"], environment: [:]) }
        #expect(Subprocess.executablePath("sh", searchPath: "/nonexistent:/bin") == "/bin/sh")
    }
}

struct SecretFileTests {
    @Test func writesAtomicallyWithMode0600() throws {
        let dir = "/tmp/credctl-secretfile-\(WallClock.now())-\(Int.random(in: 0..<1_000_000))"
        try SecretFile.makeDirectory(dir + "/sub")
        let path = dir + "/sub/file"
        try SecretFile.write(Array("one".utf8), to: path)
        try SecretFile.write(Array("two".utf8), to: path)
        #expect(try LocalFile.read(path) == Array("two".utf8))
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        stat(dir + "/sub", &st)
        #expect(st.st_mode & 0o777 == 0o700)
    }
}
