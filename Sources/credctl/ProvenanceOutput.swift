import AWSCore
import AWSCredentials

/// How `whoami` and `creds show` describe where credentials came from.
enum ProvenanceOutput {
    static func fields(_ p: Provenance, expiration: String?) -> [(key: String, label: String, value: String?)] {
        [
            ("credentials", "Credentials", p.summary + (p.fromCache ? " [cached]" : "")),
            ("rule", "Rule", p.rule),
            ("role_chain", "Role chain", p.roleChain.isEmpty ? nil : p.roleChain.joined(separator: " -> ")),
            ("sso", "SSO", p.sso.map(ssoText)),
            ("expiration", "Expires", expiration),
        ]
    }

    /// `role R in account A, sso-session S (URL, region), token valid until T [refreshed]`.
    static func ssoText(_ s: SSOProvenance) -> String {
        var text = "role \(s.roleName) in account \(s.accountId), \(s.sessionName.map { "sso-session \($0)" } ?? "legacy profile") (\(s.startURL), \(s.region))"
        if let t = s.tokenExpiration { text += ", token valid until \(Timestamp.format(t))" + (s.tokenRefreshed ? " [refreshed]" : "") }
        return text
    }

    static func ssoJSON(_ s: SSOProvenance) -> JSONValue {
        .object([
            ("SessionName", .optional(s.sessionName)), ("StartUrl", .string(s.startURL)), ("Region", .string(s.region)),
            ("AccountId", .string(s.accountId)), ("RoleName", .string(s.roleName)),
            ("TokenExpiration", .optional(s.tokenExpiration.map { Timestamp.format($0) })), ("TokenRefreshed", .bool(s.tokenRefreshed)),
        ])
    }

    static func json(_ p: Provenance, expiration: String?, attempts: [ProviderAttempt]) -> JSONValue {
        .object([
            ("Provider", .string(p.provider.rawValue)),
            ("Profile", .optional(p.profile)),
            ("Location", .optional(p.location)),
            ("Rule", .optional(p.rule)),
            ("RoleChain", .array(p.roleChain.map { .string($0) })),
            ("FromCache", .bool(p.fromCache)),
            ("SSO", p.sso.map(ssoJSON) ?? .null),
            ("Expiration", .optional(expiration)),
            ("ProvidersTried", .array(attempts.map { .object([("Provider", .string($0.provider)), ("Result", .string($0.outcome))]) })),
        ])
    }
}

enum KeyTypeText {
    static func short(_ t: KeyType) -> String {
        switch t {
        case .longTerm: return "long-term"
        case .temporary: return "temporary"
        case .unknown: return "unknown"
        }
    }
}
