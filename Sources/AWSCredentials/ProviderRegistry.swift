import AWSConfig

/// Every credential provider, in the order the chain asks them: the one list. The standard
/// chain is all of them; a role's `source_profile` is read with those registered for
/// `.sourceProfile` (botocore's profile provider builder), in the same order; a
/// `credential_source` names the one whose `credentialSource` it is.
///
/// Adding a provider is one file and one line:
/// 1. `Providers/NewProvider.swift`: a type conforming to `CredentialProvider`, its kind
///    (`extension Provenance.Provider { static let new = Provenance.Provider("new") }`) and its
///    `static let registration = ProviderRegistration(kind:reads:alsoIn:make:)`, building it
///    from the scope's context (settings, files, STS, cache, clock) and profile.
/// 2. One line below, at its place in botocore's order.
public enum ProviderRegistry {
    public static let all: [ProviderRegistration] = [
        EnvironmentCredentialsProvider.registration,
        AssumeRoleProvider.registration,
        WebIdentityProvider.registration,
        SSOCredentialsProvider.registration,
        StaticProfileCredentialsProvider.credentialsFileRegistration,
        LoginSessionProvider.registration,
        VaultCredentialsProvider.registration,
        ProcessCredentialsProvider.registration,
        StaticProfileCredentialsProvider.configFileRegistration,
        ContainerCredentialsProvider.registration,
        InstanceMetadataCredentialsProvider.registration,
    ]

    /// The providers of `scope`'s chain, in order.
    public static func providers(for scope: ProviderScope) -> [any CredentialProvider] {
        all.compactMap { $0.provider(for: scope) }
    }

    /// The registration a `credential_source` value names (case-sensitive, as botocore), nil for an unknown one.
    public static func credentialSource(named name: String) -> ProviderRegistration? {
        all.first { $0.credentialSource == name }
    }

    /// The `credential_source` values there are, in botocore's wording order.
    public static var credentialSourceNames: [String] { all.compactMap(\.credentialSource) }
}
