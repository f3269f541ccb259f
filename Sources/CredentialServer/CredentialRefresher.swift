#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore
import SigV4
import Synchronization

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
/// the last good credentials keep being served when a refresh fails.
///
/// A refresh never holds up serving: `refreshInBackgroundIfDue` runs the fetch on a thread of its
/// own (one at a time), and `held` answers at once with what is held while it is still valid, so
/// a slow STS or SSO delays nothing but the new credentials. `stop` drops a late result.
final class CredentialRefresher: Sendable {
    private struct State {
        var current: ServedCredentials?
        var fetchedAt: Int
        var nextAttempt = 0
        var refreshes = 0
        var failures = 0
        var running = false
        var stopped = false
    }

    let fetch: @Sendable () throws -> ServedCredentials
    let options: CredentialServerOptions
    private let state: Mutex<State>

    init(first: ServedCredentials, fetch: @escaping @Sendable () throws -> ServedCredentials, options: CredentialServerOptions) {
        self.fetch = fetch
        self.options = options
        state = Mutex(State(current: first, fetchedAt: options.now()))
    }

    static let longTermLifetime = 3600

    var refreshes: Int { state.withLock { $0.refreshes } }
    var failures: Int { state.withLock { $0.failures } }
    /// Whether a refresh is under way.
    var isRefreshing: Bool { state.withLock { $0.running } }

    private static func expiration(of c: ServedCredentials, fetchedAt: Int) -> Int { c.expiration ?? fetchedAt + longTermLifetime }

    /// When the next refresh is due (seconds since 1970).
    var dueAt: Int { state.withLock { dueAt($0) } }

    private func dueAt(_ s: State) -> Int {
        guard let current = s.current else { return s.nextAttempt }
        let expiry = Self.expiration(of: current, fetchedAt: s.fetchedAt)
        let byExpiry = expiry - options.refreshBefore
        let earliest = s.fetchedAt + options.minimumInterval
        let mustBefore = expiry - CredentialServerOptions.lastMoment
        return max(s.nextAttempt, min(max(byExpiry, earliest), mustBefore))
    }

    /// What to serve now, never waiting: the held credentials and their expiry while they are
    /// valid, else nil.
    func held() -> (credentials: ServedCredentials, expiration: Int)? {
        let now = options.now()
        return state.withLock { s in
            guard let current = s.current else { return nil }
            let expiry = Self.expiration(of: current, fetchedAt: s.fetchedAt)
            return expiry > now ? (current, expiry) : nil
        }
    }

    /// Refreshes on the caller's thread when due, then returns what to serve (the schedule's
    /// tests; the server uses `refreshInBackgroundIfDue` and `held`).
    func credentials() -> ServedCredentials? {
        if claim() { refresh() }
        return held()?.credentials
    }

    /// Starts a refresh on a thread of its own when one is due and none is running; returns at once.
    func refreshInBackgroundIfDue() {
        guard claim() else { return }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        let status = pthread_create(&thread, &attributes, { raw in
            Unmanaged<CredentialRefresher>.fromOpaque(raw!).takeRetainedValue().refresh()
            return nil
        }, box)
        if status != 0 {
            Unmanaged<CredentialRefresher>.fromOpaque(box).release()
            record(.failure("cannot start a refresh thread: \(String(cString: strerror(status)))"), at: options.now())
        }
    }

    /// No refresh starts after this, and one under way is dropped when it ends.
    func stop() { state.withLock { $0.stopped = true } }

    /// Marks a refresh as running when one is due, none runs and the refresher is not stopped.
    private func claim() -> Bool {
        let now = options.now()
        return state.withLock { s in
            guard !s.running, !s.stopped, now >= dueAt(s) else { return false }
            s.running = true
            return true
        }
    }

    private enum Outcome { case success(ServedCredentials), failure(String) }

    /// Fetches (outside the lock: serving goes on meanwhile) and records the outcome.
    private func refresh() {
        let outcome: Outcome
        do { outcome = .success(try fetch()) } catch { outcome = .failure("\(error)") }
        record(outcome, at: options.now())
    }

    private func record(_ outcome: Outcome, at now: Int) {
        let report: (line: String, failed: Bool)? = state.withLock { s in
            s.running = false
            guard !s.stopped else { return nil }
            switch outcome {
            case .success(let fresh):
                s.current = fresh
                s.fetchedAt = now
                s.nextAttempt = 0
                s.refreshes += 1
                return ("credentials server: new credentials, valid until \(Timestamp.format(Self.expiration(of: fresh, fetchedAt: now)))", false)
            case .failure(let reason):
                s.failures += 1
                s.nextAttempt = now + options.retryAfterFailure
                let until = s.current.map { Self.expiration(of: $0, fetchedAt: s.fetchedAt) }.flatMap { $0 > now ? $0 : nil }
                    .map { "; serving the previous ones until \(Timestamp.format($0))" } ?? ""
                return ("credentials server: refreshing failed (\(reason))\(until)", true)
            }
        }
        guard let report else { return }
        if report.failed { options.warn(report.line) } else { options.log(report.line) }
    }
}
