import AWSCore

/// Timeouts, trust and proxies for the transport: the flags, `AWS_CA_BUNDLE` (or the profile's
/// `ca_bundle`) and the proxy variables (upper case first, as Python's requests and so the AWS
/// CLI read them). Timeouts are range-checked: a typo is exit 2, never a trap.
public enum TransportSettings {
    /// The longest timeout taken (a day).
    public static let maxTimeout = 86_400.0

    /// The total deadline of one exchange when none is given: two minutes, or the connect and
    /// read timeouts together when they are longer (a slow answer the read timeout allows is
    /// not cut short by a default).
    public static let defaultTotalTimeout = 120.0

    public static func resolve(connectTimeout: String?, readTimeout: String?, totalTimeout: String? = nil, environment env: Environment,
                               profile: Profile?) throws(ConfigurationError) -> TransportOptions {
        var options = TransportOptions()
        if let t = connectTimeout {
            options.connectTimeout = try NumericSetting.seconds(t, name: "--cli-connect-timeout", within: 0.001...maxTimeout)
        }
        if let t = readTimeout {
            options.readTimeout = try NumericSetting.seconds(t, name: "--cli-read-timeout", within: 0.001...maxTimeout)
        }
        if let t = totalTimeout {
            options.totalTimeout = try NumericSetting.seconds(t, name: "--cli-total-timeout", within: 0.001...maxTimeout)
        } else {
            options.totalTimeout = max(defaultTotalTimeout, options.connectTimeout + options.readTimeout)
        }
        options.caBundle = env.nonEmpty(SettingNames.caBundle) ?? profile?[SettingNames.ProfileKey.caBundle]
        options.httpProxy = env.nonEmpty("HTTP_PROXY") ?? env.nonEmpty("http_proxy")
        options.httpsProxy = env.nonEmpty("HTTPS_PROXY") ?? env.nonEmpty("https_proxy")
        options.noProxy = env.nonEmpty("NO_PROXY") ?? env.nonEmpty("no_proxy")
        return options
    }
}

/// `AWS_RETRY_MODE`/`retry_mode` and `AWS_MAX_ATTEMPTS`/`max_attempts`. Resolved only when a
/// client is made, as botocore does, so a bad value does not stop a command that makes no call.
public enum RetrySettings {
    public static let maxAttempts = 100

    public static func resolve(environment env: Environment, profile: Profile?) throws(ConfigurationError) -> RetryPolicy {
        typealias K = SettingNames.ProfileKey
        let modeSource = env.nonEmpty(SettingNames.retryMode) != nil ? SettingNames.retryMode : "retry_mode of profile \(profile?.name ?? "")"
        var mode = RetryPolicy.Mode.standard
        if let text = env.nonEmpty(SettingNames.retryMode) ?? profile?[K.retryMode] {
            guard let m = RetryPolicy.Mode(rawValue: text.lowercased()) else {
                throw ConfigurationError("\(modeSource): retry mode '\(PrintableText.escaped(String(text.prefix(24))))' is not one of standard, legacy, adaptive")
            }
            mode = m
        }
        var attempts: Int?
        if let text = env.nonEmpty(SettingNames.maxAttempts) {
            attempts = try NumericSetting.integer(text, name: SettingNames.maxAttempts, within: 1...maxAttempts)
        } else if let text = profile?[K.maxAttempts] {
            attempts = try NumericSetting.integer(text, name: "max_attempts of profile \(profile?.name ?? "") (\(profile?.values[K.maxAttempts]?.location ?? ""))",
                                                  within: 1...maxAttempts)
        }
        return RetryPolicy(mode: mode, maxAttempts: attempts)
    }
}
