import Foundation
import Testing
@testable import SigV4

/// Runs every case of the public AWS SigV4 test suite in `Tests/Fixtures/sigv4/` (or
/// `$SIGV4_TESTDATA`). A case added there is picked up without code changes.
struct SigV4VectorTests {
    static let credentials = SigningCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test func theSuiteIsThere() {
        #expect(VectorCase.all.count >= 34, "found \(VectorCase.all.count) cases under \(VectorCase.root)")
    }

    @Test(arguments: VectorCase.all)
    func vector(_ testCase: VectorCase) throws {
        let request = try RawHTTPRequest(parsing: testCase.file("req"))
        let expectedCanonical = try testCase.file("creq")
        let expectedSigned = try RawHTTPRequest(parsing: testCase.file("sreq"))
        let date = try #require(request.header("x-amz-date").flatMap { SigningDate(amzDate: $0) })

        // A session token the signer must add shows up in the signed request but not in the
        // request: signed when the canonical request lists it, added after signing otherwise.
        var credentials = Self.credentials
        var options = SigV4Signer.Options()
        if request.header("x-amz-security-token") == nil, let token = expectedSigned.header("x-amz-security-token") {
            credentials.sessionToken = token
            options.sessionTokenSigned = expectedCanonical.contains("\nx-amz-security-token:")
        }
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service", options: options)
        let signed = signer.sign(SignableRequest(method: request.method, path: request.path, query: request.query,
                                                 headers: request.headers, payload: .bytes(Array(request.body.utf8))),
                                 at: date)

        #expect(signed.canonicalRequest == expectedCanonical, "canonical request of \(testCase.name)")
        #expect(signed.stringToSign == (try testCase.file("sts")), "string to sign of \(testCase.name)")
        #expect(signed.authorization == (try testCase.file("authz")), "authorization of \(testCase.name)")
        // The headers sent besides Authorization (checked above against .authz: in one case of the
        // suite the .sreq carries another case's signature).
        func sent(_ headers: [(name: String, value: String)]) -> [String] {
            headers.filter { $0.name.lowercased() != "authorization" }
                .map { "\($0.name):\($0.value.trimmingCharacters(in: .whitespaces))" }
        }
        #expect(sent(signed.headers) == sent(expectedSigned.headers), "signed request of \(testCase.name)")
    }
}

struct VectorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let directory: URL

    var testDescription: String { name }

    func file(_ ext: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("\(name).\(ext)"), encoding: .utf8)
    }

    static var root: URL {
        if let dir = ProcessInfo.processInfo.environment["SIGV4_TESTDATA"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/sigv4")
    }

    /// Every folder below the root that holds `NAME.req` for its own name.
    static let all: [VectorCase] = {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [VectorCase] = []
        for case let url as URL in walker where url.pathExtension == "req" {
            let dir = url.deletingLastPathComponent()
            let name = url.deletingPathExtension().lastPathComponent
            if dir.lastPathComponent == name { cases.append(VectorCase(name: name, directory: dir)) }
        }
        return cases.sorted { $0.name < $1.name }
    }()
}

/// A request as the suite writes it: request line, headers (indented lines continue a value),
/// blank line, body. The target runs to the last ` HTTP/` so a raw space in the path survives.
struct RawHTTPRequest {
    var method = ""
    var path = ""
    var query = ""
    var headers: [(name: String, value: String)] = []
    var body = ""

    init(parsing text: String) throws {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let space = requestLine.firstIndex(of: " "), let http = requestLine.range(of: " HTTP/", options: .backwards) else {
            throw ParseError.badRequestLine(requestLine)
        }
        method = String(requestLine[..<space])
        let target = String(requestLine[requestLine.index(after: space)..<http.lowerBound])
        if let q = target.firstIndex(of: "?") {
            path = String(target[..<q])
            query = String(target[target.index(after: q)...])
        } else {
            path = target
        }
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            } else {
                throw ParseError.badHeader(line)
            }
        }
        body = lines.joined(separator: "\n")
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    enum ParseError: Error { case badRequestLine(String), badHeader(String) }
}
