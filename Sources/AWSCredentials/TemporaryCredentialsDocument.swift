import AWSCore
import SigV4

/// The JSON credential documents of `credential_process`, the container endpoint, instance
/// metadata and credctl's cache: `AccessKeyId`, `SecretAccessKey`, a session token and an
/// optional RFC 3339 `Expiration`.
struct TemporaryCredentialsDocument {
    var credentials: SigningCredentials
    var expiration: Int?
    /// `AccountId` (credential_process, the container endpoint), when a non-empty string.
    var accountId: String?

    /// `tokenKey` is `SessionToken` (process, cache) or `Token` (container, IMDS). Error
    /// messages name the missing field, never a value.
    init(json: JSONValue, tokenKey: String, requireToken: Bool, requireExpiration: Bool, source: String) throws(AWSError) {
        guard case .object = json else { throw .noCredentials("\(source): the answer is not a JSON object") }
        func field(_ key: String) throws(AWSError) -> String {
            guard let value = json[key]?.stringValue, !value.isEmpty else {
                throw .noCredentials("\(source): the answer has no \(key)")
            }
            return value
        }
        let id = try field("AccessKeyId")
        let secret = try field("SecretAccessKey")
        let token: String? = requireToken ? try field(tokenKey) : json[tokenKey]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Int?
        if let text = json["Expiration"]?.stringValue {
            guard let t = Timestamp.parse(text) else { throw .noCredentials("\(source): Expiration is not an RFC 3339 time") }
            expiration = t
        } else if requireExpiration {
            throw .noCredentials("\(source): the answer has no Expiration")
        }
        self.credentials = SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token)
        self.expiration = expiration
        self.accountId = json["AccountId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses `bytes` as JSON; the message never quotes them (they may hold a secret).
    static func parse(_ bytes: [UInt8], source: String) throws(AWSError) -> JSONValue {
        do { return try JSONValue.parse(bytes) } catch {
            throw .noCredentials("\(source): the answer is not valid JSON (\(bytes.count) bytes, not shown: it may hold secrets)")
        }
    }
}
