/// Where IAM Identity Center credentials came from.
public struct SSOProvenance: Sendable, Equatable {
    /// The `[sso-session]` name; nil for a legacy profile.
    public var sessionName: String?
    public var startURL: String
    /// `sso_region`.
    public var region: String
    public var accountId: String
    public var roleName: String
    /// When the access token expires (seconds since 1970); nil when it was not read (cached
    /// role credentials served, and no readable token file).
    public var tokenExpiration: Int?
    /// True when the token was refreshed for this resolution.
    public var tokenRefreshed: Bool

    public init(sessionName: String?, startURL: String, region: String, accountId: String, roleName: String,
                tokenExpiration: Int?, tokenRefreshed: Bool) {
        self.sessionName = sessionName
        self.startURL = startURL
        self.region = region
        self.accountId = accountId
        self.roleName = roleName
        self.tokenExpiration = tokenExpiration
        self.tokenRefreshed = tokenRefreshed
    }
}
