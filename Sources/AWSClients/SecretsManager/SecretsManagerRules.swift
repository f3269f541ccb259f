import AWSCore

/// Secrets Manager's rules, checked before any call (exit 2, nothing written).
public enum SecretsManagerRules {
    public static let maxSecretBytes = 65536

    /// `CreateSecret` names: 1–512 characters of letters, digits and `/_+=.@-`.
    public static func nameProblem(_ name: String) -> String? {
        guard (1...512).contains(name.count) else { return "a secret name must be 1 to 512 characters long" }
        let allowed = "/_+=.@-".unicodeScalars
        if let bad = name.unicodeScalars.first(where: {
            !(($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || allowed.contains($0))
        }) {
            return "'\(name)' holds '\(bad)': secret names may hold only letters, digits and / _ + = . @ -"
        }
        return nil
    }

    /// A name or ARN: 1–2048 characters.
    public static func idProblem(_ id: String) -> String? {
        (1...2048).contains(id.count) ? nil : "a secret id (name or ARN) must be 1 to 2048 characters long"
    }

    public static func valueProblem(_ value: String) -> String? {
        let bytes = value.utf8.count
        guard bytes > 0 else { return "the secret value is empty" }
        if value.utf8.contains(0) { return "the secret value contains a NUL byte, which no environment variable or shell can hold" }
        guard bytes <= maxSecretBytes else { return "the secret value is \(bytes) bytes; Secrets Manager allows at most \(maxSecretBytes)" }
        return nil
    }

    public static func recoveryWindowProblem(_ days: Int) -> String? {
        (7...30).contains(days) ? nil : "the recovery window must be 7 to 30 days"
    }

    public static func descriptionProblem(_ description: String) -> String? {
        description.count <= 2048 ? nil : "the description is longer than 2048 characters"
    }
}
