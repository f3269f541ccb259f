import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// A profile with `role_arn`: assumes the role with the credentials of its `source_profile`
/// (itself possibly a role: chains of any length) or its `credential_source`. Each role's
/// credentials are cached and reused until 15 minutes before they expire.
public struct AssumeRoleProvider: CredentialProvider {
    public let kind = Provenance.Provider.assumeRole
    let context: CredentialContext
    let profileName: String

    public init(context: CredentialContext, profileName: String) {
        self.context = context
        self.profileName = profileName
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let profile = context.files.profile(profileName) else { return .notFound("there is no profile '\(profileName)'") }
        guard RoleProfile.applies(to: profile) else { return .notFound("profile '\(profileName)' has no role_arn") }
        let plan = try RoleChainPlan(start: profileName, files: context.files)
        return .found(try RoleChainResolver(context: context, plan: plan).credentials())
    }
}

extension AssumeRoleProvider {
    public static let registration = ProviderRegistration(
        kind: .assumeRole,
        reads: ["role_arn", "source_profile", "credential_source", "role_session_name", "external_id", "duration_seconds", "mfa_serial"]
    ) { scope in
        AssumeRoleProvider(context: scope.context, profileName: scope.profileName)
    }
}

extension Provenance.Provider {
    public static let assumeRole = Provenance.Provider("assume-role")
}
