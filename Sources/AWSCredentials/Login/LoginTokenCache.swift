#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore
import SigV4

/// The AWS CLI's cache of `aws login` sessions, shared with botocore: one JSON file per
/// session, named by the hex SHA-256 of the session name (the signed-in principal's ARN), in
/// `$AWS_LOGIN_CACHE_DIRECTORY` or `~/.aws/login/cache`. Written atomically, mode 0600, in a
/// folder made 0700 when missing.
public struct LoginTokenCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// botocore's `generate_login_cache_key`.
    public static func key(_ session: String) -> String { Hex.encode(Digest.sha256(Array(session.utf8))) }

    public func path(for session: String) -> String {
        (directory.isEmpty ? "" : directory + "/") + Self.key(session) + ".json"
    }

    /// A cache file is a few kilobytes; anything larger is not one.
    static let maximumSize = 64 * 1024

    public enum LoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(path: String)
        case unusable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): return "there is no cached login session (\(path) does not exist)"
            case .unusable(let path, let reason): return "the cached login session \(path) is unusable: \(reason)"
            }
        }
    }

    public func load(_ session: String) throws(LoadFailure) -> LoginSessionToken {
        let file = path(for: session)
        var st = stat()
        guard stat(file, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing(path: file) }
            throw .unusable(path: file, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unusable(path: file, reason: "it is not a regular file") }
        guard st.st_size <= Self.maximumSize else {
            throw .unusable(path: file, reason: "it is \(st.st_size) bytes, more than a session file can be (\(Self.maximumSize))")
        }
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(file) } catch { throw .unusable(path: file, reason: error.reason) }
        guard let bytes else { throw .missing(path: file) }
        do { return try LoginSessionToken(parsing: bytes) } catch { throw .unusable(path: file, reason: error.reason) }
    }

    /// Replaces the session's file (atomically, 0600).
    public func store(_ token: LoginSessionToken, for session: String) throws(AWSError) {
        let file = path(for: session)
        do {
            if !directory.isEmpty { try SecretFile.makeDirectory(directory) }
            try SecretFile.write(Array(token.json.serialized().utf8), to: file)
        } catch {
            throw .configuration(ConfigurationError("login session cache: \(error)"))
        }
    }

    /// Removes the session's file; false when there was none.
    public func remove(_ session: String) throws(AWSError) -> Bool {
        let file = path(for: session)
        if unlink(file) == 0 { return true }
        if errno == ENOENT { return false }
        throw .configuration(ConfigurationError("cannot remove \(file): \(String(cString: strerror(errno)))"))
    }
}
