import AWSCore

/// The region and where it came from.
public struct ResolvedRegion: Sendable, Equatable {
    public var name: String
    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, or `profile NAME (FILE:LINE)`.
    public var source: String
}

public enum RegionResolver {
    /// The AWS CLI v2's order: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
    /// `region`. Nil when none is set (instance metadata is the credential chain's concern).
    /// A variable set to the empty string stops the search, as in botocore (whose region is
    /// then the empty string): the profile's region is not used.
    public static func resolve(flag: String?, environment env: Environment, profile: Profile?) throws(ConfigurationError) -> ResolvedRegion? {
        let found: ResolvedRegion?
        if let flag, !flag.isEmpty { found = ResolvedRegion(name: flag, source: "--region") }
        else if let r = env["AWS_REGION"] { found = r.isEmpty ? nil : ResolvedRegion(name: r, source: "AWS_REGION") }
        else if let r = env["AWS_DEFAULT_REGION"] { found = r.isEmpty ? nil : ResolvedRegion(name: r, source: "AWS_DEFAULT_REGION") }
        else if let profile, let r = profile["region"], let v = profile.values["region"] {
            found = ResolvedRegion(name: r, source: "profile \(profile.name) (\(v.location))")
        } else { found = nil }
        if let found, !EndpointResolver.isValidRegion(found.name) {
            // Quoted short: a secret pasted at `aws configure`'s region prompt must not be shown.
            throw ConfigurationError("region '\(FileExcerpt.of(found.name))' from \(found.source) is not a valid region name")
        }
        return found
    }
}
