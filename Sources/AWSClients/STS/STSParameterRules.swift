/// STS's own rules for `AssumeRole` parameters, checked before calling so that a typo is a
/// usage error naming the field rather than a `ValidationError` from the service.
public enum STSParameterRules {
    /// `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`.
    public static func sessionNameProblem(_ name: String) -> String? {
        guard (2...64).contains(name.count) else { return "the session name must be 2 to 64 characters long" }
        guard name.unicodeScalars.allSatisfy({ isWordCharacter($0) || "+=,.@-".unicodeScalars.contains($0) }) else {
            return "the session name may hold only letters, digits and + = , . @ _ -"
        }
        return nil
    }

    /// `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`.
    public static func externalIdProblem(_ id: String) -> String? {
        guard (2...1224).contains(id.count) else { return "the external id must be 2 to 1224 characters long" }
        guard id.unicodeScalars.allSatisfy({ isWordCharacter($0) || "+=,.@:/-".unicodeScalars.contains($0) }) else {
            return "the external id may hold only letters, digits and + = , . @ : / _ -"
        }
        return nil
    }

    /// `DurationSeconds`: 900 to 43200 (the role's own maximum may be lower; role chaining caps it at 3600).
    public static func durationProblem(_ seconds: Int, chained: Bool) -> String? {
        if chained, seconds > 3600 { return "a role assumed with another role's credentials (role chaining) lasts at most 3600 seconds" }
        guard (900...43200).contains(seconds) else { return "the duration must be 900 to 43200 seconds" }
        return nil
    }

    /// `RoleArn`: an IAM role ARN, `arn:PARTITION:iam::ACCOUNT:role/NAME`.
    public static func roleArnProblem(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "iam", parts[5].hasPrefix("role/"),
              parts[5].count > 5, arn.count >= 20, arn.count <= 2048 else {
            return "'\(arn)' is not a role ARN such as arn:aws:iam::123456789012:role/NAME"
        }
        return nil
    }

    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
    }
}
