import AWSCore

/// The settings of the credential chain for one run, resolved once from the environment and
/// the selected profile. Per-profile settings of a role chain's source profiles
/// (`WebIdentitySettings`, `ProcessSettings`) are resolved from those profiles as the chain
/// reaches them.
public struct CredentialSettings: Sendable, Equatable {
    public var environmentKeys: EnvironmentKeySettings
    public var container: ContainerSettings
    public var instanceMetadata: InstanceMetadataSettings
    /// `AWS_STS_REGIONAL_ENDPOINTS` or the profile's `sts_regional_endpoints`.
    public var stsRegionalEndpoints: String?

    public init(environmentKeys: EnvironmentKeySettings = EnvironmentKeySettings(), container: ContainerSettings = ContainerSettings(),
                instanceMetadata: InstanceMetadataSettings = InstanceMetadataSettings(), stsRegionalEndpoints: String? = nil) {
        self.environmentKeys = environmentKeys
        self.container = container
        self.instanceMetadata = instanceMetadata
        self.stsRegionalEndpoints = stsRegionalEndpoints
    }

    public static func resolve(environment env: Environment, profile: Profile?) throws(ConfigurationError) -> CredentialSettings {
        CredentialSettings(environmentKeys: .resolve(env), container: .resolve(env),
                           instanceMetadata: try .resolve(env, profile: profile),
                           stsRegionalEndpoints: env.nonEmpty(SettingNames.stsRegionalEndpoints)
                               ?? profile?[SettingNames.ProfileKey.stsRegionalEndpoints])
    }
}
