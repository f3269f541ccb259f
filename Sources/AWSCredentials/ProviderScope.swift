import AWSConfig

/// Where a provider is being asked, and for which profile: what a registration's `make`
/// builds its provider from.
public struct ProviderScope: Sendable {
    /// The chains a provider can take part in.
    public enum Chain: Sendable, Hashable {
        /// The run's own chain (botocore's default chain, plus the vault).
        case standard
        /// The chain a role's `source_profile` is read with (botocore's profile provider builder).
        case sourceProfile
        /// A role's `credential_source` (one provider, named by its `credentialSource` value).
        case credentialSource
    }

    public var context: CredentialContext
    /// The profile the provider reads (the run's, or the source profile).
    public var profile: ProfileSelection
    public var chain: Chain

    public init(context: CredentialContext, profile: ProfileSelection, chain: Chain) {
        self.context = context
        self.profile = profile
        self.chain = chain
    }

    public var profileName: String { profile.name }

    /// The profile's values, nil when there is no such profile.
    public var profileValues: Profile? { context.files.profile(profile.name) }

    /// Whether credential variables in the environment count: in the standard chain unless
    /// `--profile` was given, and for `credential_source = Environment`; never for a source profile.
    public var environmentApplies: Bool {
        switch chain {
        case .standard: return !profile.isExplicit
        case .sourceProfile: return false
        case .credentialSource: return true
        }
    }
}
