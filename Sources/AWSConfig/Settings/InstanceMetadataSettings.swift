import AWSCore

/// How to reach EC2 instance metadata, from the variables (first) and the profile.
public struct InstanceMetadataSettings: Sendable, Equatable {
    public var disabled: Bool
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, or nil for the default of the endpoint mode.
    public var endpoint: String?
    /// `ipv4` (default) or `ipv6`, lower-cased.
    public var endpointMode: String?
    public var v1Disabled: Bool
    /// Seconds for each connection and answer.
    public var timeout: Double
    public var attempts: Int

    /// The largest timeout and number of attempts taken: a value beyond them is a typo.
    public static let maxTimeout = 3600.0
    public static let maxAttempts = 100

    public static let defaultEndpoint = "http://169.254.169.254"
    public static let ipv6Endpoint = "http://[fd00:ec2::254]"

    public init(disabled: Bool = false, endpoint: String? = nil, endpointMode: String? = nil, v1Disabled: Bool = false,
                timeout: Double = 1, attempts: Int = 1) {
        self.disabled = disabled
        self.endpoint = endpoint
        self.endpointMode = endpointMode
        self.v1Disabled = v1Disabled
        self.timeout = timeout
        self.attempts = attempts
    }

    public static func resolve(_ env: Environment, profile: Profile?) throws(ConfigurationError) -> InstanceMetadataSettings {
        typealias K = SettingNames.ProfileKey
        func setting(_ variable: String, _ key: String) -> SourcedValue? {
            if let v = env.nonEmpty(variable) { return SourcedValue(v, source: variable) }
            if let profile, let v = profile[key], let at = profile.values[key] {
                return SourcedValue(v, source: "\(key) of profile \(profile.name) (\(at.location))")
            }
            return nil
        }
        var s = InstanceMetadataSettings()
        s.disabled = env.nonEmpty(SettingNames.metadataDisabled)?.lowercased() == "true"
        s.endpoint = setting(SettingNames.metadataEndpoint, K.metadataEndpoint)?.value
        s.endpointMode = setting(SettingNames.metadataEndpointMode, K.metadataEndpointMode)?.value.lowercased()
        s.v1Disabled = setting(SettingNames.metadataV1Disabled, K.metadataV1Disabled)?.value.lowercased() == "true"
        if let t = setting(SettingNames.metadataTimeout, K.metadataTimeout) {
            s.timeout = try NumericSetting.seconds(t.value, name: t.source, within: 0.001...maxTimeout)
        }
        if let a = setting(SettingNames.metadataAttempts, K.metadataAttempts) {
            s.attempts = try NumericSetting.integer(a.value, name: a.source, within: 1...maxAttempts)
        }
        return s
    }

    /// The configured endpoint, else IPv4 or IPv6 per the endpoint mode (any path dropped: the
    /// metadata paths are absolute). A mode other than IPv4 or IPv6 is an error even when an
    /// endpoint is given, as in botocore.
    public func baseURL() throws(ConfigurationError) -> RequestURL {
        switch endpointMode {
        case nil, "ipv4", "ipv6": break
        case let other?:
            throw ConfigurationError("the instance metadata endpoint mode must be IPv4 or IPv6, not '\(PrintableText.escaped(other))'")
        }
        let text = endpoint ?? (endpointMode == "ipv6" ? Self.ipv6Endpoint : Self.defaultEndpoint)
        do { return try RequestURL(parsing: text).with(path: "/") } catch {
            throw ConfigurationError("instance metadata endpoint: \(error)")
        }
    }
}
