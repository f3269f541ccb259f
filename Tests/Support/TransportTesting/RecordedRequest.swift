import AWSCore
import SigV4

/// A request as a fake transport received it, with the parts the AWS protocols put in it
/// read out: the form of a query-protocol body, the JSON of a JSON-protocol body, the
/// `X-Amz-Target`, and the SigV4 credential scope of the `Authorization` header.
public struct RecordedRequest: Sendable {
    public let request: HTTPRequest

    public init(_ request: HTTPRequest) { self.request = request }

    public var method: String { request.method }
    public var url: RequestURL { request.url }
    public var safety: RepeatSafety { request.safety }
    public var body: [UInt8] { request.body }
    public var bodyText: String { String(decoding: request.body, as: UTF8.self) }
    public func header(_ name: String) -> String? { request.header(name) }

    /// The name=value pairs of an `application/x-www-form-urlencoded` body, in order.
    public var formPairs: [(name: String, value: String)] {
        guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true else { return [] }
        return Self.decodeForm(bodyText)
    }

    /// The form as a dictionary (the last value of a repeated name wins).
    public var form: [String: String] {
        var out: [String: String] = [:]
        for (name, value) in formPairs { out[name] = value }
        return out
    }

    /// The body parsed as JSON (nil when it is not JSON).
    public var json: JSONValue? { try? JSONValue.parse(request.body) }

    /// `X-Amz-Target`, e.g. `AmazonSSM.PutParameter`.
    public var target: String? { request.header("X-Amz-Target") }

    /// The API operation: the query `Action`, or what follows the dot of `X-Amz-Target`.
    public var operation: String? {
        if let action = form["Action"] { return action }
        if let target, let dot = target.lastIndex(of: ".") { return String(target[target.index(after: dot)...]) }
        return nil
    }

    /// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, …`.
    public struct CredentialScope: Sendable, Equatable {
        public var accessKeyId: String
        public var date: String
        public var region: String
        public var service: String

        public init(accessKeyId: String, date: String, region: String, service: String) {
            self.accessKeyId = accessKeyId
            self.date = date
            self.region = region
            self.service = service
        }
    }

    /// The scope the request was signed with; nil when it is not signed.
    public var credential: CredentialScope? {
        guard let auth = request.header("Authorization"), let start = auth.firstRange(of: "Credential=") else { return nil }
        let rest = auth[start.upperBound...].prefix { $0 != "," && $0 != " " }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request" else { return nil }
        return CredentialScope(accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3])
    }

    /// The access key id that signed the request.
    public var signingKeyId: String? { credential?.accessKeyId }

    /// Whether the signature is the one `secret` (and the request's own session token) gives.
    public func signatureMatches(secret: String) -> Bool {
        guard let scope = credential, let auth = request.header("Authorization"),
              let amzDate = request.header("X-Amz-Date"), let date = SigningDate(amzDate: amzDate) else { return false }
        let headers = request.headers.filter { $0.name.lowercased() != "authorization" }
        let credentials = SigningCredentials(accessKeyId: scope.accessKeyId, secretAccessKey: secret,
                                             sessionToken: request.header("X-Amz-Security-Token"))
        let signer = SigV4Signer(credentials: credentials, region: scope.region, service: scope.service)
        let expected = signer.sign(SignableRequest(method: request.method, path: request.url.path, query: request.url.query,
                                                   headers: headers, payload: .bytes(request.body)), at: date)
        return expected.authorization == auth
    }

    /// `a=1&b=x+y%2B` → [("a", "1"), ("b", "x y+")].
    public static func decodeForm(_ text: String) -> [(name: String, value: String)] {
        func decode(_ part: Substring) -> String {
            let bytes = Array(part.utf8).map { $0 == UInt8(ascii: "+") ? 0x20 : $0 }
            return String(decoding: URIEncoding.decode(bytes), as: UTF8.self)
        }
        return text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }
}
