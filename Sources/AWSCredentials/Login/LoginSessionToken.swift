import AWSCore
import SigV4

/// One `aws login` session as the AWS CLI caches it (`~/.aws/login/cache/<sha256>.json`):
///
/// ```
/// {"accessToken": {"accessKeyId", "secretAccessKey", "sessionToken", "accountId", "expiresAt"},
///  "tokenType", "clientId", "refreshToken", "idToken", "dpopKey": "-----BEGIN EC PRIVATE KEY-----…"}
/// ```
///
/// Read as botocore's `LoginCredentialFetcher` reads it (`accessToken`, `refreshToken`,
/// `dpopKey` and `clientId` required, and the five members of `accessToken`), but strictly:
/// every member must be a string, `expiresAt` a time. The whole document is kept so that a
/// refresh replaces `accessToken` and `refreshToken` and leaves every other member where it
/// was, as botocore's `dict.update` does. Nothing of it prints.
public struct LoginSessionToken: Sendable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var accountId: String
    /// Seconds since 1970.
    public var expiresAt: Int
    public var refreshToken: String
    /// `arn:aws:signin:::devtools/same-device` or `…/cross-device`.
    public var clientId: String
    /// The PEM text of the DPoP key.
    public var dpopKey: String
    /// The document's members in order, as read (or as written).
    public private(set) var members: [(String, JSONValue)]

    public var description: String { "LoginSessionToken(\(Redaction.keyId(accessKeyId)), account \(accountId), expires \(Timestamp.format(expiresAt)), secrets not shown)" }

    /// Why a cache document is not a usable session; never quotes a value.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    static let required = ["accessToken", "refreshToken", "dpopKey", "clientId"]
    static let requiredCredentials = ["accessKeyId", "secretAccessKey", "sessionToken", "accountId", "expiresAt"]

    public init(parsing bytes: [UInt8]) throws(Malformed) {
        guard let json = try? JSONValue.parse(bytes), case .object(let members) = json else {
            throw Malformed(reason: "not a JSON object (\(bytes.count) bytes, not shown)")
        }
        let missing = Self.required.filter { json[$0] == nil }
        guard missing.isEmpty else { throw Malformed(reason: "missing required fields: \(missing.joined(separator: ", "))") }
        guard case .object = json["accessToken"]! else { throw Malformed(reason: "accessToken is not an object") }
        let access = json["accessToken"]!
        let missingCredentials = Self.requiredCredentials.filter { access[$0] == nil }
        guard missingCredentials.isEmpty else {
            throw Malformed(reason: "accessToken is missing \(missingCredentials.joined(separator: ", "))")
        }
        func text(_ value: JSONValue?, _ name: String) throws(Malformed) -> String {
            guard let s = value?.stringValue else { throw Malformed(reason: "\(name) is not a string") }
            guard !s.isEmpty else { throw Malformed(reason: "\(name) is empty") }
            return s
        }
        let expiresText = try text(access["expiresAt"], "accessToken.expiresAt")
        guard let expiresAt = SSOTimestamp.parse(expiresText) else {
            throw Malformed(reason: "accessToken.expiresAt is not a time")
        }
        self.accessKeyId = try text(access["accessKeyId"], "accessToken.accessKeyId")
        self.secretAccessKey = try text(access["secretAccessKey"], "accessToken.secretAccessKey")
        self.sessionToken = try text(access["sessionToken"], "accessToken.sessionToken")
        self.accountId = try text(access["accountId"], "accessToken.accountId")
        self.expiresAt = expiresAt
        self.refreshToken = try text(json["refreshToken"], "refreshToken")
        self.clientId = try text(json["clientId"], "clientId")
        self.dpopKey = try text(json["dpopKey"], "dpopKey")
        self.members = members
    }

    /// A new session as `aws login` writes it after the authorization-code exchange.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, accountId: String, expiresAt: Int,
                tokenType: String, clientId: String, refreshToken: String, idToken: String, dpopKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.accountId = accountId
        self.expiresAt = expiresAt
        self.refreshToken = refreshToken
        self.clientId = clientId
        self.dpopKey = dpopKey
        self.members = [("accessToken", .null), ("tokenType", .string(tokenType)), ("clientId", .string(clientId)),
                        ("refreshToken", .null), ("idToken", .string(idToken)), ("dpopKey", .string(dpopKey))]
        self.members = Self.replacing(members, with: accessTokenJSON, refreshToken: refreshToken)
    }

    /// The session after a refresh: new keys, expiry and refresh token; the account, the
    /// client, the key and every other member unchanged.
    public func refreshed(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiresAt: Int,
                          refreshToken: String) -> LoginSessionToken {
        var copy = self
        copy.accessKeyId = accessKeyId
        copy.secretAccessKey = secretAccessKey
        copy.sessionToken = sessionToken
        copy.expiresAt = expiresAt
        copy.refreshToken = refreshToken
        copy.members = Self.replacing(members, with: copy.accessTokenJSON, refreshToken: refreshToken)
        return copy
    }

    var accessTokenJSON: JSONValue {
        .object([("accessKeyId", .string(accessKeyId)), ("secretAccessKey", .string(secretAccessKey)),
                 ("sessionToken", .string(sessionToken)), ("accountId", .string(accountId)),
                 ("expiresAt", .string(Timestamp.format(expiresAt)))])
    }

    /// `dict.update`: existing members keep their place, new ones go last.
    static func replacing(_ members: [(String, JSONValue)], with access: JSONValue, refreshToken: String) -> [(String, JSONValue)] {
        var out = members
        for (key, value) in [("accessToken", access), ("refreshToken", JSONValue.string(refreshToken))] {
            if let i = out.firstIndex(where: { $0.0 == key }) { out[i].1 = value } else { out.append((key, value)) }
        }
        return out
    }

    public var json: JSONValue { .object(members) }

    /// The DER inside `dpopKey`, read as botocore reads it: the lines between the PEM
    /// armour joined, then base64 (whitespace ignored); nil when that is not base64.
    public var dpopKeyDER: [UInt8]? {
        let body = dpopKey.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .filter { !$0.hasPrefix("-----BEGIN") && !$0.hasPrefix("-----END") }
            .joined()
            .filter { !$0.isWhitespace }
        return body.isEmpty ? nil : Base64.decode(body)
    }
}

extension LoginSessionToken.Malformed: ReportableError {
    /// A cached login session that cannot be used: no usable credentials.
    public var exitStatus: ExitStatus { .credentials }
}
