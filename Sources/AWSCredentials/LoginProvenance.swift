/// Where `login_session` credentials came from.
public struct LoginProvenance: Sendable, Equatable {
    /// The session's name: the signed-in principal's ARN.
    public var session: String
    public var accountId: String
    public var cachePath: String
    /// True when the credentials were refreshed (and written back) for this resolution.
    public var refreshed: Bool

    public init(session: String, accountId: String, cachePath: String, refreshed: Bool) {
        self.session = session
        self.accountId = accountId
        self.cachePath = cachePath
        self.refreshed = refreshed
    }
}
