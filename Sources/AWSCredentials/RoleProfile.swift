import AWSClients
import AWSConfig
import AWSCore

/// A profile's assume-role settings, checked against botocore's rules and STS's parameter
/// rules before anything is called.
struct RoleProfile: Sendable {
    enum Source: Sendable, Equatable {
        case profile(String)
        case credentialSource(String)
    }

    var profile: String
    var roleArn: String
    /// `FILE:LINE` of `role_arn`.
    var location: String
    var source: Source
    var externalId: String?
    var sessionName: String?
    var durationSeconds: Int?
    var mfaSerial: String?

    /// True when botocore's assume-role provider takes the profile: `role_arn` without `web_identity_token_file`.
    static func applies(to profile: Profile) -> Bool {
        profile.values["role_arn"] != nil && profile.values["web_identity_token_file"] == nil
    }

    /// True when the profile holds static keys (botocore: either key present).
    static func hasStaticKeys(_ profile: Profile) -> Bool {
        profile.values["aws_access_key_id"] != nil || profile.values["aws_secret_access_key"] != nil
    }

    init(_ p: Profile) throws(AWSError) {
        profile = p.name
        let role = p.values["role_arn"]
        let location = role?.location ?? "?"
        self.location = location
        func fail(_ message: String) -> AWSError {
            .configuration(ConfigurationError("profile '\(p.name)' (\(location)): \(message)"))
        }
        roleArn = role?.text ?? ""
        if let problem = STSParameterRules.roleArnProblem(roleArn) { throw fail("role_arn: \(problem)") }
        switch (p["source_profile"], p["credential_source"]) {
        case (.some, .some):
            throw fail("sets both source_profile and credential_source; keep one")
        case (nil, nil):
            throw fail("sets role_arn but neither source_profile nor credential_source, so there are no credentials to assume it with")
        case (let name?, nil):
            source = .profile(name)
        case (nil, let name?):
            guard ProviderRegistry.credentialSource(named: name) != nil else {
                let known = ProviderRegistry.credentialSourceNames.joined(separator: ", ")
                throw fail("credential_source '\(name.prefix(40))' is not one of \(known)")
            }
            source = .credentialSource(name)
        }
        externalId = p["external_id"]
        if let v = externalId, let problem = STSParameterRules.externalIdProblem(v) { throw fail("external_id: \(problem)") }
        sessionName = p["role_session_name"]
        if let v = sessionName, let problem = STSParameterRules.sessionNameProblem(v) { throw fail("role_session_name: \(problem)") }
        mfaSerial = p["mfa_serial"]
        if let text = p["duration_seconds"] {
            guard let seconds = Int(text) else { throw fail("duration_seconds '\(text.prefix(24))' is not a whole number of seconds") }
            if let problem = STSParameterRules.durationProblem(seconds, chained: false) { throw fail("duration_seconds: \(problem)") }
            durationSeconds = seconds
        }
    }

    /// The cache key: every setting that changes what `AssumeRole` returns.
    var cacheKey: String {
        let sourceText: String
        switch source {
        case .profile(let name): sourceText = "profile:\(name)"
        case .credentialSource(let name): sourceText = "credential_source:\(name)"
        }
        return CredentialCache.key([("RoleArn", roleArn), ("RoleSessionName", sessionName), ("ExternalId", externalId),
                                    ("SerialNumber", mfaSerial), ("DurationSeconds", durationSeconds.map(String.init)),
                                    ("Source", sourceText)])
    }
}
