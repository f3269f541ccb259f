import Synchronization

/// Which credentials a path serves: the one `/credentials` of `creds exec --server`, or, for the
/// agent's container endpoint, `/profile/NAME` for any profile, each with its own refresher made
/// on the first request for it. Lives on the server's thread.
final class ServerRoutes {
    private var refreshers: [String: CredentialRefresher]
    /// Makes the fetch for a path not seen before; nil: 404.
    private let make: ((String) -> (@Sendable () throws -> ServedCredentials)?)?
    let options: CredentialServerOptions

    init(single refresher: CredentialRefresher, options: CredentialServerOptions) {
        refreshers = [CredentialServer.path: refresher]
        make = nil
        self.options = options
    }

    init(profiles: @escaping @Sendable (String) -> (@Sendable () throws -> ServedCredentials)?, options: CredentialServerOptions) {
        refreshers = [:]
        make = { path in
            guard path.hasPrefix(CredentialServer.profilePath) else { return nil }
            let name = String(path.dropFirst(CredentialServer.profilePath.count))
            guard !name.isEmpty, !name.contains("/") else { return nil }
            return profiles(name)
        }
        self.options = options
    }

    /// The refresher of `path`; a new profile's is made with its first credentials fetched now
    /// (a failure is the answer's 503, and the next request tries again).
    func refresher(for path: String) -> CredentialRefresher? {
        // A profile that has never had credentials is tried again on each request (what it needed,
        // a session a client's request obtains through the agent, may be there now).
        if let known = refreshers[path], make == nil || known.current != nil { return known }
        guard let make, let fetch = make(path) else { return nil }
        let refresher = CredentialRefresher(fetch: fetch, options: options)
        refreshers[path] = refresher
        return refresher
    }

    var all: [CredentialRefresher] { Array(refreshers.values) }

    /// Drops every profile's credentials (the agent's `lock`) when asked since the last look;
    /// the single route of `creds exec --server` is never dropped.
    func forgetIfAsked() {
        guard make != nil, forget.take() else { return }
        refreshers.removeAll()
    }

    let forget = ForgetRequest()

    /// When the next refresh of any path is due.
    var dueAt: Int? { refreshers.values.map(\.dueAt).min() }
}

/// Set by the owner's thread (`CredentialServer.forgetAll`), taken by the server's.
final class ForgetRequest: Sendable {
    private let asked = Atomic<Bool>(false)
    func ask() { asked.store(true, ordering: .releasing) }
    func take() -> Bool { asked.exchange(false, ordering: .acquiringAndReleasing) }
}
