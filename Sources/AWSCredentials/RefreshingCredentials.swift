import AWSClients
import AWSCore
import SigV4
import Synchronization

/// Credentials as the clients of one run sign with them: resolved through the chain on first
/// use, and resolved again when they come within `refreshWindow` seconds of expiring, so that a
/// long command (a large export, a rotation waiting for IAM) never signs with expired keys.
public final class RefreshingCredentials: SigningKeySource {
    public typealias Resolve = @Sendable () throws(AWSError) -> CredentialChain.Resolution

    private let resolveChain: Resolve
    private let now: @Sendable () -> Int
    private let refreshWindow: Int
    private let current = Mutex<(resolution: CredentialChain.Resolution, at: Int)?>(nil)
    /// A source that keeps answering with credentials inside the window is asked again at most this often.
    static let minimumInterval = 60

    public init(refreshWindow: Int = CredentialCache.refreshWindow, now: @escaping @Sendable () -> Int = { WallClock.now() },
                resolve: @escaping Resolve) {
        self.resolveChain = resolve
        self.now = now
        self.refreshWindow = refreshWindow
    }

    /// The current resolution, resolving (again) when there is none or it nears expiry.
    public func resolution() throws(AWSError) -> CredentialChain.Resolution {
        if let held = current.withLock({ $0 }), !needsRefresh(held.resolution.credentials, resolvedAt: held.at) { return held.resolution }
        let fresh = try resolveChain()
        current.withLock { $0 = (fresh, now()) }
        return fresh
    }

    public func signingCredentials() throws(AWSError) -> SigningCredentials {
        try resolution().credentials.signing
    }

    func needsRefresh(_ credentials: Credentials, resolvedAt: Int) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        let t = now()
        if expiration <= t { return true }
        return expiration - t < refreshWindow && t - resolvedAt >= Self.minimumInterval
    }
}
