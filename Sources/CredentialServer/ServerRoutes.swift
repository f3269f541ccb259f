import Synchronization

/// Which credentials a path serves: the one `/credentials` of `creds exec --server`, or, for the
/// agent's container endpoint, `/profile/NAME` for any profile, each with its own refresher made
/// on the first (authorised) request for it and refreshed in the background like the single one.
final class ServerRoutes: Sendable {
    private let refreshers: Mutex<[String: CredentialRefresher]>
    /// Makes the fetch for a profile not seen before; nil: 404.
    private let profiles: (@Sendable (String) -> (@Sendable () throws -> ServedCredentials)?)?
    let options: CredentialServerOptions
    let forget = ForgetRequest()

    init(single refresher: CredentialRefresher, options: CredentialServerOptions) {
        refreshers = Mutex([CredentialServer.path: refresher])
        profiles = nil
        self.options = options
    }

    init(profiles: @escaping @Sendable (String) -> (@Sendable () throws -> ServedCredentials)?, options: CredentialServerOptions) {
        refreshers = Mutex([:])
        self.profiles = profiles
        self.options = options
    }

    /// The profile a path names (`/profile/NAME`), for the agent's endpoint.
    func profile(in path: String) -> String? {
        guard profiles != nil, path.hasPrefix(CredentialServer.profilePath) else { return nil }
        let name = String(path.dropFirst(CredentialServer.profilePath.count))
        return name.isEmpty || name.contains("/") ? nil : name
    }

    /// Whether `path` is one this server answers (checked before the token, creating nothing).
    func serves(_ path: String) -> Bool { profiles == nil ? path == CredentialServer.path : profile(in: path) != nil }

    /// The refresher of `path`. A profile never served, or whose first fetch failed, gets a new
    /// one whose fetch starts now in the background (what it needed, a session a client's request
    /// obtains through the agent, may be there now).
    func refresher(for path: String) -> CredentialRefresher? {
        forgetIfAsked()
        if let known = refreshers.withLock({ $0[path] }), profiles == nil || known.held() != nil || known.isRefreshing { return known }
        guard let name = profile(in: path), let fetch = profiles?(name) else { return nil }
        let fresh = CredentialRefresher(fetch: fetch, options: options)
        refreshers.withLock { $0[path]?.stop(); $0[path] = fresh }
        fresh.refreshInBackgroundIfDue()
        return fresh
    }

    var all: [CredentialRefresher] { refreshers.withLock { Array($0.values) } }

    /// Drops every profile's credentials (the agent's `lock`) when asked since the last look;
    /// the single route of `creds exec --server` is never dropped.
    func forgetIfAsked() {
        guard profiles != nil, forget.take() else { return }
        refreshers.withLock { all in
            for r in all.values { r.stop() }
            all.removeAll()
        }
    }

    func stopAll() { for r in all { r.stop() } }
}

/// Set by the owner's thread (`CredentialServer.forgetAll`), taken by the server's.
final class ForgetRequest: Sendable {
    private let asked = Atomic<Bool>(false)
    func ask() { asked.store(true, ordering: .releasing) }
    func take() -> Bool { asked.exchange(false, ordering: .acquiringAndReleasing) }
}
