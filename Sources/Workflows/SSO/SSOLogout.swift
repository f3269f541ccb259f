#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSClients
import AWSCore
import AWSCredentials

/// `credctl sso logout`, as `aws sso logout`: every cached SSO access token (any file of
/// `~/.aws/sso/cache` whose JSON has an `accessToken`) is signed out with the portal's `Logout`
/// (in the token's own `region`) and removed; client registrations stay. Then the role
/// credentials obtained with SSO tokens are removed: credctl's (`sso/` of its cache) and the
/// AWS CLI's (`~/.aws/cli/cache` files with `"ProviderType": "sso"`), so that no tool keeps
/// using a session after logout. A failed `Logout` call is reported and the file removed anyway.
public struct SSOLogout: Sendable {
    public struct Report: Sendable {
        /// Token files removed.
        public var tokensRemoved: [String]
        /// Tokens the service signed out.
        public var signedOut: Int
        /// Why a `Logout` call failed, per token file (the file was removed all the same).
        public var logoutFailures: [String]
        /// Cached role credentials removed (credctl's and the AWS CLI's).
        public var credentialsRemoved: [String]
    }

    public let tokenCache: SSOTokenCache
    /// credctl's SSO role-credentials folder (nil with `--no-cache`: left alone).
    public let roleCacheDirectory: String?
    /// The AWS CLI's credential cache, `~/.aws/cli/cache`.
    public let cliCacheDirectory: String
    public let services: SSOServices

    public init(tokenCache: SSOTokenCache, roleCacheDirectory: String?, cliCacheDirectory: String, services: SSOServices) {
        self.tokenCache = tokenCache
        self.roleCacheDirectory = roleCacheDirectory
        self.cliCacheDirectory = cliCacheDirectory
        self.services = services
    }

    public func run() throws(AWSError) -> Report {
        var report = Report(tokensRemoved: [], signedOut: 0, logoutFailures: [], credentialsRemoved: [])
        for (path, json) in CacheFolder.jsonFiles(tokenCache.directory) {
            guard let token = json["accessToken"]?.stringValue else { continue }
            if let region = json["region"]?.stringValue, !region.isEmpty {
                do {
                    try services.portal(region: region).logout(accessToken: token)
                    report.signedOut += 1
                } catch {
                    services.core.log("sso: Logout for \(path) failed: \(error)")
                    report.logoutFailures.append("\(path): \(Self.reason(error))")
                }
            }
            try CacheFolder.remove(path)
            report.tokensRemoved.append(path)
        }
        if let roleCacheDirectory {
            for (path, _) in CacheFolder.jsonFiles(roleCacheDirectory) {
                try CacheFolder.remove(path)
                report.credentialsRemoved.append(path)
            }
        }
        for (path, json) in CacheFolder.jsonFiles(cliCacheDirectory) where json["ProviderType"]?.stringValue == "sso" {
            try CacheFolder.remove(path)
            report.credentialsRemoved.append(path)
        }
        return report
    }

    /// The error without the operation prefix, for one line per file.
    static func reason(_ error: AWSError) -> String {
        if case .service(let e) = error { return "\(e.code) (HTTP \(e.httpStatus))" }
        return error.description
    }
}

/// The JSON files of a cache folder.
enum CacheFolder {
    /// Each regular file directly in `directory` that parses as a JSON object, in name order;
    /// unreadable files are passed over (as the AWS CLI's sweepers do).
    static func jsonFiles(_ directory: String) -> [(String, JSONValue)] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        return names.sorted().compactMap { name in
            let path = "\(directory)/\(name)"
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                  let bytes = try? LocalFile.read(path), let json = try? JSONValue.parse(bytes), case .object = json else { return nil }
            return (path, json)
        }
    }

    static func remove(_ path: String) throws(AWSError) {
        if unlink(path) != 0, errno != ENOENT {
            throw .configuration(ConfigurationError("cannot remove \(path): \(String(cString: strerror(errno)))"))
        }
    }
}
