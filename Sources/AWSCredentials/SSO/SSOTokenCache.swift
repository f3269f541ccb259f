#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSConfig
import AWSCore
import SigV4

/// An SSO access token as the AWS CLI v2 and botocore cache it. The tokens and the client
/// secret never print.
public struct SSOToken: Sendable, CustomStringConvertible {
    public var startURL: String?
    public var region: String?
    public var accessToken: String
    /// Seconds since 1970.
    public var expiresAt: Int
    public var clientId: String?
    public var clientSecret: String?
    /// Kept as written: botocore copies it unchanged into a refreshed token.
    public var registrationExpiresAt: String?
    public var refreshToken: String?

    public init(startURL: String?, region: String?, accessToken: String, expiresAt: Int, clientId: String? = nil,
                clientSecret: String? = nil, registrationExpiresAt: String? = nil, refreshToken: String? = nil) {
        self.startURL = startURL
        self.region = region
        self.accessToken = accessToken
        self.expiresAt = expiresAt
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.registrationExpiresAt = registrationExpiresAt
        self.refreshToken = refreshToken
    }

    public var description: String { "SSOToken(expires \(Timestamp.format(expiresAt)), tokens not shown)" }

    /// `registrationExpiresAt` in seconds, when present and readable.
    public var registrationExpiry: Int? { registrationExpiresAt.flatMap(SSOTimestamp.parse) }

    /// The cache file's JSON: the fields and order botocore writes, times as `%Y-%m-%dT%H:%M:%SZ`.
    var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let startURL { members.append(("startUrl", .string(startURL))) }
        if let region { members.append(("region", .string(region))) }
        members += [("accessToken", .string(accessToken)), ("expiresAt", .string(SSOTimestamp.format(expiresAt)))]
        if let clientId { members.append(("clientId", .string(clientId))) }
        if let clientSecret { members.append(("clientSecret", .string(clientSecret))) }
        if let registrationExpiresAt { members.append(("registrationExpiresAt", .string(registrationExpiresAt))) }
        if let refreshToken { members.append(("refreshToken", .string(refreshToken))) }
        return .object(members)
    }
}

/// A client registration cached for `sso login` (the AWS CLI v2's format: `clientId`,
/// `clientSecret`, `expiresAt`, optional `scopes` and `grantTypes`).
public struct SSOCachedRegistration: Sendable, CustomStringConvertible {
    public var clientId: String
    public var clientSecret: String
    public var expiresAt: Int
    public var scopes: [String]?
    /// Set by the AWS CLI's authorization-code flow; such a registration is not for the device flow.
    public var grantTypes: [String]?

    public init(clientId: String, clientSecret: String, expiresAt: Int, scopes: [String]?, grantTypes: [String]? = nil) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.expiresAt = expiresAt
        self.scopes = scopes
        self.grantTypes = grantTypes
    }

    public var description: String { "SSOCachedRegistration(\(clientId), secret not shown)" }
}

/// The times of the SSO cache: written as `2026-11-23T04:05:06Z`; read in that form, with
/// fractions or offsets, and in the `…UTC` form older AWS CLI versions wrote.
public enum SSOTimestamp {
    public static func parse(_ text: String) -> Int? {
        if let t = Timestamp.parse(text) { return t }
        if text.hasSuffix("UTC") { return Timestamp.parse(String(text.dropLast(3)) + "Z") }
        return nil
    }

    public static func format(_ seconds: Int) -> String { Timestamp.format(seconds) }
}

/// `~/.aws/sso/cache`, shared with the AWS CLI v2, botocore and every SDK: one JSON file per
/// session named by the SHA-1 of the session name (or, legacy, the start URL), and the client
/// registrations of `sso login`. Files are written atomically with mode 0600.
public struct SSOTokenCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `~/.aws/sso/cache` under the home directory, as botocore expands it.
    public static func standard(_ env: Environment) -> SSOTokenCache {
        SSOTokenCache(directory: StatePaths.resolve(env).ssoCache)
    }

    /// Why there is no usable token.
    public enum LoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(path: String)
        case unreadable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): return "there is no cached token (\(path) does not exist)"
            case .unreadable(let path, let reason): return "the cached token \(path) is unusable: \(reason)"
            }
        }
    }

    /// `<directory>/<sha1 hex>.json` for the session.
    public func path(for session: SSOSession) -> String { path(key: Self.key(session.cacheKeySource)) }

    public func path(key: String) -> String { "\(directory)/\(key).json" }

    /// The hex SHA-1 of `text`, botocore's cache key.
    public static func key(_ text: String) -> String { Hex.encode(Digest.sha1(Array(text.utf8))) }

    /// The session's token. Messages name the file and the missing field, never a value.
    public func load(_ session: SSOSession) throws(LoadFailure) -> SSOToken {
        let file = path(for: session)
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(file) } catch { throw .unreadable(path: file, reason: error.reason) }
        guard let bytes else { throw .missing(path: file) }
        guard let json = try? JSONValue.parse(bytes), case .object = json else {
            throw .unreadable(path: file, reason: "not a JSON object (\(bytes.count) bytes, not shown)")
        }
        guard let access = json["accessToken"]?.stringValue, let expiresText = json["expiresAt"]?.stringValue else {
            throw .unreadable(path: file, reason: "it has no accessToken or expiresAt")
        }
        guard let expiresAt = SSOTimestamp.parse(expiresText) else {
            throw .unreadable(path: file, reason: "expiresAt '\(expiresText)' is not a time")
        }
        return SSOToken(startURL: json["startUrl"]?.stringValue, region: json["region"]?.stringValue, accessToken: access,
                        expiresAt: expiresAt, clientId: json["clientId"]?.stringValue, clientSecret: json["clientSecret"]?.stringValue,
                        registrationExpiresAt: json["registrationExpiresAt"]?.stringValue, refreshToken: json["refreshToken"]?.stringValue)
    }

    /// Replaces the session's token file (atomically, 0600; the folder made 0700 if missing).
    public func store(_ token: SSOToken, for session: SSOSession) throws(AWSError) {
        try write(token.json, to: path(for: session))
    }

    /// The registration cache key of the AWS CLI v2: the SHA-1 of
    /// `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"}, sort_keys=True)`.
    public static func registrationKey(_ session: SSOSession) -> String {
        let scopes = session.registrationScopes.map { "[" + $0.map(PythonJSON.string).joined(separator: ", ") + "]" } ?? "null"
        let text = "{\"region\": \(PythonJSON.string(session.region)), \"scopes\": \(scopes), \"session_name\": "
            + (session.name.map(PythonJSON.string) ?? "null")
            + ", \"startUrl\": \(PythonJSON.string(session.startURL)), \"tool\": \"botocore\"}"
        return key(text)
    }

    /// The cached registration for the session, if readable.
    public func loadRegistration(_ session: SSOSession) -> SSOCachedRegistration? {
        guard let bytes = try? LocalFile.read(path(key: Self.registrationKey(session))), let json = try? JSONValue.parse(bytes),
              let id = json["clientId"]?.stringValue, let secret = json["clientSecret"]?.stringValue,
              let expires = json["expiresAt"]?.stringValue.flatMap(SSOTimestamp.parse) else { return nil }
        return SSOCachedRegistration(clientId: id, clientSecret: secret, expiresAt: expires,
                                     scopes: json["scopes"]?.arrayValue?.compactMap(\.stringValue),
                                     grantTypes: json["grantTypes"]?.arrayValue?.compactMap(\.stringValue))
    }

    public func storeRegistration(_ r: SSOCachedRegistration, for session: SSOSession) throws(AWSError) {
        var members: [(String, JSONValue)] = [("clientId", .string(r.clientId)), ("clientSecret", .string(r.clientSecret)),
                                              ("expiresAt", .string(SSOTimestamp.format(r.expiresAt)))]
        if let scopes = r.scopes, !scopes.isEmpty { members.append(("scopes", .array(scopes.map { .string($0) }))) }
        if let grants = r.grantTypes { members.append(("grantTypes", .array(grants.map { .string($0) }))) }
        try write(.object(members), to: path(key: Self.registrationKey(session)))
    }

    /// Removes the session's cached registration (one the service refused); true when a file went.
    @discardableResult
    public func removeRegistration(_ session: SSOSession) -> Bool {
        unlink(path(key: Self.registrationKey(session))) == 0
    }

    func write(_ json: JSONValue, to file: String) throws(AWSError) {
        do {
            // Shared with the AWS CLI, which makes it with the umask's mode: made 0700 when
            // missing, not refused for a group bit botocore's own writes would have set.
            try SecretFile.makeDirectory(directory)
            try SecretFile.write(Array(json.serialized().utf8), to: file)
        } catch {
            throw .configuration(ConfigurationError("SSO token cache: \(error)"))
        }
    }
}

/// Strings as Python's `json.dumps` writes them (ASCII only, lower-case `\u` escapes), so that
/// cache keys hashed from JSON text match the AWS CLI's.
enum PythonJSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}

extension SSOTokenCache.LoadFailure: ReportableError {
    /// A token that cannot be used: an SSO profile without usable credentials.
    public var exitStatus: ExitStatus { .credentials }
}
