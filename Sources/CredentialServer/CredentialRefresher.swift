import AWSCore
import SigV4

/// Credentials as the server hands them out.
public struct ServedCredentials: Sendable {
    public var credentials: SigningCredentials
    /// Seconds since 1970; nil for a long-term key (the server then reports an expiry an hour
    /// ahead, since the container protocol requires one, and the SDK simply asks again then).
    public var expiration: Int?

    public init(credentials: SigningCredentials, expiration: Int?) {
        self.credentials = credentials
        self.expiration = expiration
    }
}

/// When to ask the caller's closure for new credentials: when fewer than `refreshBefore`
/// seconds remain (but not more often than every `minimumInterval` while they are still
/// good), and again `retryAfterFailure` seconds after a failed attempt. Until they expire,
/// the last good credentials keep being served when a refresh fails. Lives on the server's thread.
final class CredentialRefresher {
    let fetch: @Sendable () throws -> ServedCredentials
    let options: CredentialServerOptions
    private(set) var current: ServedCredentials?
    private var fetchedAt = 0
    private var nextAttempt = 0
    private(set) var refreshes = 0
    private(set) var failures = 0

    init(first: ServedCredentials, fetch: @escaping @Sendable () throws -> ServedCredentials, options: CredentialServerOptions) {
        self.fetch = fetch
        self.options = options
        current = first
        fetchedAt = options.now()
    }

    /// With no credentials yet: the first request fetches them.
    init(fetch: @escaping @Sendable () throws -> ServedCredentials, options: CredentialServerOptions) {
        self.fetch = fetch
        self.options = options
        current = nil
    }

    static let longTermLifetime = 3600

    func expiration(of c: ServedCredentials) -> Int { c.expiration ?? fetchedAt + Self.longTermLifetime }

    /// When the next refresh is due (seconds since 1970).
    var dueAt: Int {
        guard let current else { return nextAttempt }
        let byExpiry = expiration(of: current) - options.refreshBefore
        let earliest = fetchedAt + options.minimumInterval
        let mustBefore = expiration(of: current) - CredentialServerOptions.lastMoment
        return max(nextAttempt, min(max(byExpiry, earliest), mustBefore))
    }

    /// Refreshes when due; returns the credentials to serve, nil when none are valid.
    func credentials() -> ServedCredentials? {
        let now = options.now()
        if now >= dueAt { refresh(now: now) }
        guard let current, expiration(of: current) > now else { return nil }
        return current
    }

    func refresh(now: Int) {
        do {
            let fresh = try fetch()
            current = fresh
            fetchedAt = now
            nextAttempt = 0
            refreshes += 1
            options.log("credentials server: new credentials, valid until \(Timestamp.format(expiration(of: fresh)))")
        } catch {
            failures += 1
            nextAttempt = now + options.retryAfterFailure
            let until = current.map { "; serving the previous ones until \(Timestamp.format(expiration(of: $0)))" } ?? ""
            options.warn("credentials server: refreshing failed (\(error))\(until)")
        }
    }
}
