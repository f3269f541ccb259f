import AWSCore

/// `GetFederationToken`: temporary credentials for a federated user, made with an IAM user's
/// long-term key. The AWS console's federation endpoint takes these (and role credentials) but
/// not `GetSessionToken`'s, which is why `credctl console` calls it for long-term keys.
public enum STSFederationOperation: String, ServiceOperation, CaseIterable {
    /// A repeated call makes a second federated session; the first simply goes unused.
    case getFederationToken = "GetFederationToken"

    public var safety: RepeatSafety { .idempotent }
}

extension STSClient {
    /// `Name` (2–32 characters of `[\w+=,.@-]`, shown in CloudTrail as `federated-user/NAME`),
    /// a session `Policy` (the session gets the intersection of it and the user's own policies)
    /// and `DurationSeconds` (900 to 129600).
    public func getFederationToken(name: String, policy: String, durationSeconds: Int?) throws(AWSError) -> SessionToken {
        var parameters = [("Name", name), ("Policy", policy)]
        if let v = durationSeconds { parameters.append(("DurationSeconds", String(v))) }
        let answer = try Self.temporaryCredentials(from: query.call(STSFederationOperation.getFederationToken, parameters),
                                                   operation: "sts:GetFederationToken")
        return SessionToken(credentials: answer.credentials, expiration: answer.expiration)
    }
}

extension STSParameterRules {
    /// `Name` of `GetFederationToken`: 2–32 characters of `[\w+=,.@-]`.
    public static func federatedUserNameProblem(_ name: String) -> String? {
        guard (2...32).contains(name.count),
              name.unicodeScalars.allSatisfy({ isWordCharacter($0) || "+=,.@-".unicodeScalars.contains($0) }) else {
            return "a federated user name must be 2 to 32 letters, digits and + = , . @ _ -"
        }
        return nil
    }

    /// `DurationSeconds` of `GetFederationToken` made with an IAM user's key: 900 to 129600.
    public static func federationDurationProblem(_ seconds: Int) -> String? {
        (900...129_600).contains(seconds) ? nil : "the duration must be 900 to 129600 seconds (36 hours) for a federated sign-in"
    }
}
