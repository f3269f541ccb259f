import Testing
@testable import SigV4

struct CanonicalRequestTests {
    @Test func alreadyEncodedPathsAreEncodedAgainForNonS3() {
        #expect(CanonicalRequest.uri(path: "/a%20b/c", normalizeAndEncode: true) == "/a%2520b/c")
        #expect(CanonicalRequest.uri(path: "/a%20b//c", normalizeAndEncode: false) == "/a%20b//c")
        #expect(CanonicalRequest.uri(path: "", normalizeAndEncode: true) == "/")
    }

    @Test func dotSegments() {
        #expect(CanonicalRequest.removeDotSegments("/a/b/../c/./d/") == "/a/c/d/")
        #expect(CanonicalRequest.removeDotSegments("/../..") == "/")
        #expect(CanonicalRequest.removeDotSegments("/a/b/..") == "/a")
    }

    @Test func queryIsDecodedThenEncodedAndSorted() {
        #expect(CanonicalRequest.query("b=2&a=%7e&a=1&c") == "a=1&a=~&b=2&c=")
        #expect(CanonicalRequest.query("x=a+b&y=a%2Bb&z=%zz") == "x=a%20b&y=a%2Bb&z=%25zz")
        #expect(CanonicalRequest.query("k=v/w:x") == "k=v%2Fw%3Ax")
    }

    @Test func headerValuesAreTrimmedAndFolded() {
        #expect(CanonicalRequest.headerValue("  a \t b\n   c  ") == "a b c")
        let (block, signed) = CanonicalRequest.headers([("B", "2"), ("a", "1"), ("b", " 3 "), ("User-Agent", "x")])
        #expect(block == "a:1\nb:2,3\n")
        #expect(signed == "a;b")
    }

    @Test func presignedQueryCarriesTheSignatureLast() {
        let signer = SigV4Signer(credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "tok/en"),
                                 region: "us-east-1", service: "iam")
        let date = SigningDate(amzDate: "20150830T123600Z")!
        let signed = signer.presign(SignableRequest(method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
                                                    headers: [("Host", "iam.amazonaws.com")]), at: date, expires: 300)
        #expect(signed.query.hasPrefix("Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok%2Fen&X-Amz-Signature="))
        #expect(signed.query.hasSuffix(signed.signature))
        #expect(signed.canonicalRequest.contains("X-Amz-Security-Token=tok%2Fen"))
    }

    @Test func amzDateRoundTrips() {
        let d = SigningDate(amzDate: "20240229T235959Z")!
        #expect(d.amzDate == "20240229T235959Z")
        #expect(d.scopeDate == "20240229")
        #expect(SigningDate(amzDate: "20240229T235959") == nil)
        #expect(SigningDate(secondsSince1970: 0).amzDate == "19700101T000000Z")
    }

    @Test func derivedKeyMatchesTheDocumentedExample() {
        // From the AWS documentation's signing-key example.
        let key = SigningKeyCache.derive(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215", region: "us-east-1", service: "iam")
        #expect(Hex.encode(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }
}
