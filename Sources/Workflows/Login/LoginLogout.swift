import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl logout`, as `aws logout`: removes the cached session of the profile's
/// `login_session` (the profile itself is left as it is), or with `--all` every file of the
/// login cache that holds a session (an `accessToken` object with an `accessKeyId`); other
/// files stay. Credentials already handed out stay valid until they expire (15 minutes at most).
public struct LoginLogout: Sendable {
    public struct Report: Sendable {
        public var profile: String?
        /// The profile's session (single logout); nil when the profile names none.
        public var session: String?
        public var removed: [String]
    }

    public let cache: LoginTokenCache

    public init(cache: LoginTokenCache) { self.cache = cache }

    public func logout(profile: String, files: SharedConfigFiles) throws(AWSError) -> Report {
        guard let session = files.profile(profile)?.values[LoginSessionSettings.profileKey]?.text else {
            return Report(profile: profile, session: nil, removed: [])
        }
        let removed = try cache.remove(session)
        return Report(profile: profile, session: session, removed: removed ? [cache.path(for: session)] : [])
    }

    public func logoutAll() throws(AWSError) -> Report {
        var removed: [String] = []
        for (path, json) in CacheFolder.jsonFiles(cache.directory.isEmpty ? "." : cache.directory) {
            guard case .object = json["accessToken"], json["accessToken"]?["accessKeyId"] != nil else { continue }
            try CacheFolder.remove(path)
            removed.append(path)
        }
        return Report(profile: nil, session: nil, removed: removed)
    }
}
