import AWSCore

/// Where credentials came from, for `whoami` and `doctor`.
public struct Provenance: Sendable, Equatable {
    public var provider: Provider
    /// The profile whose settings were used, if any.
    public var profile: String?
    /// The file (and line) the keys were read from, if any.
    public var location: String?
    /// The precedence rule that decided, in words (e.g. "environment keys win over AWS_PROFILE=dev").
    public var rule: String?
    /// For assumed roles, each step from the first credentials to the final role:
    /// `profile base: shared-credentials-file (…:3)`, `arn:aws:iam::…:role/a (profile a)`, ….
    public var roleChain: [String]
    /// True when the credentials came from credctl's cache rather than a fresh call.
    public var fromCache: Bool
    /// For IAM Identity Center credentials: the session, account, role and token.
    public var sso: SSOProvenance?
    /// For `login_session` profiles: the session, its cache file, and whether it was refreshed.
    public var login: LoginProvenance?

    public init(provider: Provider, profile: String? = nil, location: String? = nil, rule: String? = nil,
                roleChain: [String] = [], fromCache: Bool = false, sso: SSOProvenance? = nil, login: LoginProvenance? = nil) {
        self.provider = provider
        self.profile = profile
        self.location = location
        self.rule = rule
        self.roleChain = roleChain
        self.fromCache = fromCache
        self.sso = sso
        self.login = login
    }

    /// `provider, profile P (FILE:LINE)` in words.
    public var summary: String {
        var text = provider.rawValue
        if let profile { text += ", profile \(profile)" }
        if let location { text += " (\(location))" }
        return text
    }
}
