import Testing
@testable import AWSClients
@testable import AWSConfig
import AWSCore
import SigV4
@testable import Workflows

/// Property-based fuzzing of everything that reads untrusted bytes: mutated real inputs must
/// never crash a parser, and generated valid inputs must round-trip exactly.
struct ParserFuzzTests {
    let n = FuzzInput.iterations

    static let jsonSeeds = [
        #"{"Parameter":{"Name":"/a/b","Value":"x\ny \"q\" \\ é","Version":12345678901234567890,"Tags":[1,2.5e-3,true,null]}}"#,
        #"{"__type":"com.amazon#ParameterNotFound","message":"not found"}"#, #"[]"#, #"{"a":{"b":{"c":[{}]}}}"#,
    ]
    static let jsonTokens = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00e9", "\\ud83d", "1e999", "-0", "null", "tru", " ", "\u{0}"]

    @Test func jsonParserNeverCrashesAndRoundTrips() throws {
        var r = FuzzInput(seed: FuzzInput.seed)
        for i in 0..<n {
            let input = r.mutate(Array(r.pick(Self.jsonSeeds).utf8), tokens: Self.jsonTokens)
            guard let value = try? JSONValue.parse(input) else { continue }
            #expect(try JSONValue.parse(value.serialized()) == value, "iteration \(i)")
            #expect(try JSONValue.parse(value.serialized(pretty: true)) == value, "iteration \(i)")
        }
    }

    static let xmlSeeds = [
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>a &amp; b &lt;c&gt; &#233; &#x1F600;</Message></Error><RequestId>r</RequestId></ErrorResponse>",
        "<a><!-- c --><b x='1' y=\"2\"/><![CDATA[<raw>]]></a>",
    ]
    static let xmlTokens = ["<", ">", "</", "/>", "&", "&amp;", "&#", "&#x", ";", "<![CDATA[", "]]>", "<!--", "-->", "<?", "?>", "\"", "'", "="]

    @Test func xmlParserNeverCrashesAndRoundTrips() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 1)
        for _ in 0..<n {
            let input = r.mutate(Array(r.pick(Self.xmlSeeds).utf8), tokens: Self.xmlTokens)
            if let root = try? XMLDocument.parse(input) { #expect(!root.name.isEmpty) }
        }
        let nameChars = Array("abcXYZ_-.") + Array("0123456789")
        let textChars = Array("ab <>&\"' é\u{1F600}\n\t;#")
        func tree(_ depth: Int) -> XMLElement {
            let name = "e" + r.string(nameChars, length: 0...6)
            if depth == 0 || r.bool() { return XMLElement(name: name, text: r.string(textChars, length: 1...12)) }
            return XMLElement(name: name, children: (0..<r.int(1...3)).map { _ in tree(depth - 1) })
        }
        func text(_ e: XMLElement) -> String {
            "<\(e.name)>" + (e.children.isEmpty ? XMLDocument.escape(e.text) : e.children.map(text).joined()) + "</\(e.name)>"
        }
        for i in 0..<n {
            let t = tree(3)
            #expect(try XMLDocument.parse(text(t)) == t, "iteration \(i)")
        }
    }

    static let iniSeeds = [
        "# c\n[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n[profile dev]\nrole_arn: arn:aws:iam::1:role/r\nsource_profile=default\n",
        "[a]\r\naws_access_key_id = AKIA\r\naws_secret_access_key = s\r\n; x\r\n",
        "aws_secret_access_key = Zq9SECRETxKw7Lm2Pa5Rt/+Q\r[a]\rk = v\r",
        "[a]\ns3 =\n  Zq9SECRETxKw7Lm2Pa5Rt/+Q\n[Zq9SECRETxKw7Lm2Pa5Rt/+Q\n",
    ]
    static let iniTokens = ["[", "]", "=", ":", "\n", "\r\n", "\r", " ", "\t", "#", ";", "[profile x]", "\u{FEFF}", "\u{0}",
                            "[DEFAULT]", "  ", "\u{0B}", "\u{2028}", "\u{A0}", "Σ", planted]

    /// A secret the fuzzer plants anywhere in a file: no error message may quote 13 characters of it.
    static let planted = "Zq9SECRETxKw7Lm2Pa5Rt/+Q"

    @Test func sharedFileParserNeverCrashesAndNamesARealLine() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 2)
        for i in 0..<n {
            let input = r.mutate(Array(r.pick(Self.iniSeeds).utf8), tokens: Self.iniTokens)
            let text = String(decoding: input, as: UTF8.self)
            do { _ = try INIFile(parsing: text, path: "/f") } catch {
                // Lines end at \r\n, \r or \n (Python's universal newlines), as botocore reads them.
                let lines = text.replacing("\r\n", with: "\n").unicodeScalars.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }).count
                #expect((error.line ?? 1) >= 1 && (error.line ?? 1) <= lines, "iteration \(i): \(error)")
                // No message quotes more than 12 characters of a line: a planted secret never shows.
                for start in 0...(Self.planted.count - 13) {
                    let piece = String(Array(Self.planted)[start..<(start + 13)])
                    #expect(!error.description.contains(piece), "iteration \(i): \(error)")
                }
            }
        }
    }

    @Test func credentialsFileEditKeepsEveryOtherByte() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 3)
        let spaces = [" ", "  ", "\t", ""]
        for i in 0..<n {
            let eol = r.bool() ? "\n" : "\r\n"
            var text = "# " + r.string(Array("abc =[];#"), length: 0...10) + eol
            let holders = r.int(1...3)
            for p in 0..<4 {
                let holds = p < holders
                let key = holds ? "AKIAOLD0000000000001" : "AKIAOTHER000000000\(p)0"
                let d = r.pick(["=", ":"])
                text += "[p\(p)]" + r.pick(spaces) + eol
                text += "aws_access_key_id" + r.pick(spaces) + d + r.pick(spaces) + key + r.pick(spaces) + eol
                if r.bool() { text += r.pick(["; note", "# note", ""]) + eol }
                text += "aws_secret_access_key" + r.pick(spaces) + d + r.pick(spaces) + (holds ? "old+/secret" : "keep\(p)") + r.pick(spaces) + eol
                if r.bool() { text += "region = us-east-\(p)" + eol }
                if r.bool() { text += eol }
            }
            if r.bool() { text.removeLast(eol.count) }
            let editor = try CredentialsFileEditor(path: "/c", bytes: Array(text.utf8))
            let new = try editor.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "new/secret+2")
            let back = try CredentialsFileEditor(path: "/c", bytes: new).replacingKey("AKIANEW0000000000002", with: "AKIAOLD0000000000001", secret: "old+/secret")
            #expect(back == Array(text.utf8), "iteration \(i)")
            #expect(try CredentialsFileEditor(path: "/c", bytes: new).profiles(holding: "AKIANEW0000000000002").count == holders)
        }
    }

    @Test func sigV4CanonicalisationIsStable() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 4)
        let chars = Array("aZ09-._~ /?&=%+*!$'()é\u{1F600}#;:@,")
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%".utf8)
        for i in 0..<n {
            let s = r.string(chars, length: 0...24)
            #expect(URIEncoding.decode(Array(URIEncoding.encode(s).utf8)) == Array(s.utf8), "iteration \(i)")
            #expect(URIEncoding.encode(s).utf8.allSatisfy(unreserved.contains), "iteration \(i)")
            let query = CanonicalRequest.query(s)
            #expect(CanonicalRequest.query(query) == query, "iteration \(i): \(s)")
            let path = "/" + s
            let normalized = CanonicalRequest.removeDotSegments(path)
            #expect(!normalized.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }, "iteration \(i)")
            _ = CanonicalRequest.uri(path: path, normalizeAndEncode: r.bool())
            _ = CanonicalRequest.headers([(name: s.isEmpty ? "x" : s, value: r.string(chars, length: 0...10))])
        }
    }

    static let dotenvSeeds = [
        "# c\nexport A=1\nB='x \\' y'\nC=\"multi\nline \\n \\\" q\"\nD = plain # comment\nE=\n",
        "MYSQL_PASSWORD='s3cret #1'\nMYSQL_USER=elasmetrics\n",
    ]
    static let dotenvTokens = ["=", "'", "\"", "\\", "\n", "#", "export ", " ", "${A}", "\r\n", "\u{0}"]

    @Test func importFilesNeverCrashAndRoundTrip() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 5)
        for _ in 0..<n {
            let seed = r.bool() ? Array(r.pick(Self.dotenvSeeds).utf8) : Array(r.pick(Self.jsonSeeds).utf8)
            _ = try? ImportFile.parse(r.mutate(seed, tokens: Self.dotenvTokens + Self.jsonTokens), format: nil)
        }
        let valueChars = Array("ab Z9=#$'\"\\`!é\u{1F600}\t\n;{}")
        for i in 0..<n {
            let entries = (0..<r.int(1...5)).map { k in ("K\(k)_" + r.string(Array("ABC_9"), length: 0...4), r.string(valueChars, length: 0...16)) }
            let text = entries.map { "\($0.0)=\(CredentialExport.backslashQuoted($0.1))" }.joined(separator: "\n") + "\n"
            let parsed = try ImportFile.parse(Array(text.utf8), format: .dotenv)
            #expect(parsed.map(\.name) == entries.map(\.0) && parsed.map(\.value) == entries.map(\.1), "iteration \(i): \(text)")
        }
    }

    @Test func errorBodiesNeverCrashTheParser() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 6)
        for _ in 0..<n {
            let seed = Array((r.bool() ? r.pick(Self.xmlSeeds) : r.pick(Self.jsonSeeds)).utf8)
            let body = r.mutate(seed, tokens: Self.xmlTokens + Self.jsonTokens)
            let response = HTTPResponse(status: r.pick([400, 403, 500, 503]), headers: [("Content-Type", r.pick(["text/xml", "application/x-amz-json-1.1", "text/html"]))], body: body)
            let e = ErrorBodyParser.parse(response, operation: "op")
            #expect(!e.code.isEmpty)
        }
    }
}
