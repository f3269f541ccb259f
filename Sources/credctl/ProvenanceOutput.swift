import AWSCore
import AWSCredentials

/// How `whoami` and `creds show` describe where credentials came from.
enum ProvenanceOutput {
    static func fields(_ p: Provenance, expiration: String?) -> [(key: String, label: String, value: String?)] {
        [
            ("credentials", "Credentials", p.summary + (p.fromCache ? " [cached]" : "")),
            ("rule", "Rule", p.rule),
            ("role_chain", "Role chain", p.roleChain.isEmpty ? nil : p.roleChain.joined(separator: " -> ")),
            ("expiration", "Expires", expiration),
        ]
    }

    static func json(_ p: Provenance, expiration: String?, attempts: [ProviderAttempt]) -> JSONValue {
        .object([
            ("Provider", .string(p.provider.rawValue)),
            ("Profile", .optional(p.profile)),
            ("Location", .optional(p.location)),
            ("Rule", .optional(p.rule)),
            ("RoleChain", .array(p.roleChain.map { .string($0) })),
            ("FromCache", .bool(p.fromCache)),
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
