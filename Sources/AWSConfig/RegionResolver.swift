import AWSCore

/// The region and where it came from.
public struct ResolvedRegion: Sendable, Equatable {
    public var name: String
    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `profile NAME (FILE:LINE)` or `instance metadata`.
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// What the configured sources say: a region, or none, and whether the search goes on to
/// instance metadata (the last source, asked only when a command needs a region).
public struct ConfiguredRegion: Sendable, Equatable {
    public var region: ResolvedRegion?
    /// The variable whose empty value ended the search: botocore's region is then the empty
    /// string, and the AWS CLI v2's chain stops there, so instance metadata is not asked either.
    public var emptiedBy: String?

    public init(region: ResolvedRegion? = nil, emptiedBy: String? = nil) {
        self.region = region
        self.emptiedBy = emptiedBy
    }

    public var mayAskInstanceMetadata: Bool { region == nil && emptiedBy == nil }
}

public enum RegionResolver {
    /// The AWS CLI v2's order: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
    /// `region` (then instance metadata: `InstanceMetadataRegion`, which the session asks when a
    /// command needs a region and `mayAskInstanceMetadata`). A variable set to the empty string
    /// stops the search, as in botocore (whose region is then the empty string).
    public static func configured(flag: String?, environment env: Environment, profile: Profile?) throws(ConfigurationError) -> ConfiguredRegion {
        let found: ConfiguredRegion
        if let flag, !flag.isEmpty { found = ConfiguredRegion(region: ResolvedRegion(name: flag, source: "--region")) }
        else if let r = env["AWS_REGION"] { found = variable(r, "AWS_REGION") }
        else if let r = env["AWS_DEFAULT_REGION"] { found = variable(r, "AWS_DEFAULT_REGION") }
        else if let profile, let r = profile["region"], let v = profile.values["region"] {
            found = ConfiguredRegion(region: ResolvedRegion(name: r, source: "profile \(profile.name) (\(v.location))"))
        } else { found = ConfiguredRegion() }
        if let region = found.region, !EndpointResolver.isValidRegion(region.name) {
            // Quoted short: a secret pasted at `aws configure`'s region prompt must not be shown.
            throw ConfigurationError("region '\(FileExcerpt.of(region.name))' from \(region.source) is not a valid region name")
        }
        return found
    }

    /// The configured region alone (nil when none is set).
    public static func resolve(flag: String?, environment env: Environment, profile: Profile?) throws(ConfigurationError) -> ResolvedRegion? {
        try configured(flag: flag, environment: env, profile: profile).region
    }

    static func variable(_ value: String, _ name: String) -> ConfiguredRegion {
        value.isEmpty ? ConfiguredRegion(emptiedBy: name) : ConfiguredRegion(region: ResolvedRegion(name: value, source: name))
    }
}
