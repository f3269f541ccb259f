import AWSConfig
import AWSCore
import AWSCredentials

/// How `whoami` and `creds show` describe credentials, where they came from, the region and the
/// endpoint. Secrets are masked the same way everywhere (`Redaction`): the key id keeps its
/// prefix and last four characters, a secret or token only its last four.
public enum CredentialsReport {
    public static func whoami(_ r: WhoAmIReport) -> Report {
        let keyType = r.credentials.keyType
        var note: String?
        if keyType == .temporary, r.credentials.signing.sessionToken == nil {
            note = "ASIA key without a session token: temporary keys need AWS_SESSION_TOKEN / aws_session_token"
        }
        return .record([
            ReportField("Account", "Account", .text(r.identity.account)),
            ReportField("Arn", "ARN", .text(r.identity.arn)),
            ReportField("UserId", "User id", .text(r.identity.userId)),
            ReportField("AccessKeyId", "Access key", .text(Redaction.keyId(r.credentials.accessKeyId))),
            ReportField("KeyType", "Key type", .text(keyType.shortName), display: keyType.rawValue),
            ReportField("Note", "Note", .text(note), inJSON: false),
            provenance(r.credentials, attempts: r.attempts),
            region(r.region),
            ReportField("Endpoint", "Endpoint", .record([ReportField("Url", "", .text(r.endpoint.url.description)),
                                                         ReportField("Source", "", .text(r.endpoint.source))]),
                        display: "\(r.endpoint.url) (\(r.endpoint.source))"),
        ])
    }

    public static func show(_ r: CredentialChain.Resolution, session: AWSSession) throws(AWSError) -> Report {
        let c = r.credentials
        let s = c.signing
        let selection = session.profileSelection
        return .record([
            ReportField("Profile", "Profile", .record([ReportField("Name", "", .text(selection.name)),
                                                       ReportField("Source", "", .text(selection.source.rawValue))]),
                        display: "\(selection.name) (from \(selection.source.rawValue))"),
            ReportField("AccessKeyId", "Access key", .text(Redaction.keyId(s.accessKeyId))),
            ReportField("SecretAccessKey", "Secret key", .text(Redaction.secret(s.secretAccessKey))),
            ReportField("SessionToken", "Session token", .text(s.sessionToken.map(Redaction.secret)), display: s.sessionToken == nil ? "not set" : nil),
            ReportField("KeyType", "Key type", .text(c.keyType.shortName), display: c.keyType.rawValue),
            provenance(c, attempts: r.attempts),
            region(try session.region),
            ReportField("ConfigFile", "Config file", .text(session.files.configPath)),
            ReportField("CredentialsFile", "Credentials file", .text(session.files.credentialsPath)),
            ReportField("ProvidersTried", "Providers tried", .texts(r.attempts.map { "\($0.provider): \($0.outcome)" }), inJSON: false),
        ])
    }

    /// The `Credentials` record: provider, profile, location, rule, role chain, cache, expiry.
    static func provenance(_ c: Credentials, attempts: [ProviderAttempt]) -> ReportField {
        let p = c.provenance
        return ReportField("Credentials", "Credentials", .record([
            ReportField("Provider", "", .text(p.provider.rawValue)),
            ReportField("Profile", "", .text(p.profile)),
            ReportField("Location", "", .text(p.location)),
            ReportField("Rule", "Rule", .text(p.rule)),
            ReportField("RoleChain", "Role chain", .texts(p.roleChain), display: p.roleChain.isEmpty ? nil : p.roleChain.joined(separator: " -> ")),
            ReportField("FromCache", "", .flag(p.fromCache)),
            ReportField("SSO", "SSO", p.sso.map(sso) ?? .null, display: p.sso.map(ssoText)),
            ReportField("Login", "Login session", p.login.map(login) ?? .null, display: p.login.map(loginText)),
            ReportField("Expiration", "Expires", .date(c.expiration)),
            ReportField("ProvidersTried", "", Self.attempts(attempts)),
        ]), display: p.summary + (p.fromCache ? " [cached]" : ""))
    }

    /// `role R in account A, sso-session S (URL, region), token valid until T [refreshed]`.
    static func ssoText(_ s: SSOProvenance) -> String {
        var text = "role \(s.roleName) in account \(s.accountId), \(s.sessionName.map { "sso-session \($0)" } ?? "legacy profile") (\(s.startURL), \(s.region))"
        if let t = s.tokenExpiration { text += ", token valid until \(Timestamp.format(t))" + (s.tokenRefreshed ? " [refreshed]" : "") }
        return text
    }

    static func sso(_ s: SSOProvenance) -> ReportValue {
        .record([ReportField("SessionName", "", .text(s.sessionName)), ReportField("StartUrl", "", .text(s.startURL)),
                 ReportField("Region", "", .text(s.region)), ReportField("AccountId", "", .text(s.accountId)),
                 ReportField("RoleName", "", .text(s.roleName)), ReportField("TokenExpiration", "", .date(s.tokenExpiration)),
                 ReportField("TokenRefreshed", "", .flag(s.tokenRefreshed))])
    }

    /// `SESSION (account A), cache FILE [refreshed]`.
    static func loginText(_ l: LoginProvenance) -> String {
        "\(l.session) (account \(l.accountId)), cache \(l.cachePath)" + (l.refreshed ? " [refreshed]" : "")
    }

    static func login(_ l: LoginProvenance) -> ReportValue {
        .record([ReportField("Session", "", .text(l.session)), ReportField("AccountId", "", .text(l.accountId)),
                 ReportField("CachePath", "", .text(l.cachePath)), ReportField("Refreshed", "", .flag(l.refreshed))])
    }

    static func attempts(_ attempts: [ProviderAttempt]) -> ReportValue {
        .list(attempts.map { .record([ReportField("Provider", "", .text($0.provider.rawValue)), ReportField("Result", "", .text($0.outcome))]) })
    }

    static func region(_ region: ResolvedRegion?) -> ReportField {
        ReportField("Region", "Region", .record([ReportField("Name", "", .text(region?.name)), ReportField("Source", "", .text(region?.source))]),
                    display: region.map { "\($0.name) (from \($0.source))" } ?? "not set")
    }
}

extension KeyType {
    /// `long-term`, `temporary` or `unknown`: the JSON form.
    public var shortName: String {
        switch self {
        case .longTerm: return "long-term"
        case .temporary: return "temporary"
        case .unknown: return "unknown"
        }
    }
}
