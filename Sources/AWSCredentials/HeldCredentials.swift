import Synchronization

/// Temporary credentials kept in memory only, by cache key: what `credctl agent` holds in place
/// of the on-disk `CredentialCache` files. Nothing here is ever written anywhere; `forgetAll`
/// (the agent's `lock`, its idle limit) drops every entry at once.
public final class HeldCredentials: Sendable {
    private let entries = Mutex<[String: CredentialCache.Entry]>([:])

    public init() {}

    func load(_ key: String) -> CredentialCache.Entry? { entries.withLock { $0[key] } }

    func store(_ entry: CredentialCache.Entry, key: String) { entries.withLock { $0[key] = entry } }

    /// Drops the entries that have expired by `now`.
    public func forgetExpired(now: Int) {
        entries.withLock { held in held = held.filter { $0.value.expiration > now } }
    }

    public func forgetAll() { entries.withLock { $0.removeAll() } }

    /// How many sets are held, and their expirations (for `agent status`; no secrets).
    public var expirations: [Int] { entries.withLock { $0.values.map(\.expiration).sorted() } }
}
