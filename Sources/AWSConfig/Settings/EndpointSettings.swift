import AWSCore

/// Where the user sent requests instead of AWS's default endpoints, in botocore's order:
/// `--endpoint-url` (the command's own service only), `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`, the service's `endpoint_url` in the profile's `[services NAME]` section,
/// then the profile's own `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
/// profile's `ignore_configured_endpoint_urls`) set to true turns all but the flag off.
public struct EndpointSettings: Sendable, Equatable {
    public var commandLine: String?
    public var ignoreConfigured: Bool
    public var global: SourcedValue?
    /// By the service's variable suffix (`STS`, `SECRETS_MANAGER`).
    public var perService: [String: SourcedValue]
    /// The profile's `[services NAME]` section: by snake-case service id (`sts`, `secrets_manager`).
    public var servicesSection: [String: SourcedValue]
    /// The profile's own `endpoint_url`.
    public var profileEndpoint: SourcedValue?
    /// `AWS_ACCOUNT_ID_ENDPOINT_MODE` (set, even empty), else the profile's
    /// `account_id_endpoint_mode`, as written; read by `accountIdEndpointMode()`.
    public var accountIdEndpointModeSetting: SourcedValue?

    public init(commandLine: String? = nil, ignoreConfigured: Bool = false, global: SourcedValue? = nil, perService: [String: SourcedValue] = [:],
                servicesSection: [String: SourcedValue] = [:], profileEndpoint: SourcedValue? = nil) {
        self.commandLine = commandLine
        self.ignoreConfigured = ignoreConfigured
        self.global = global
        self.perService = perService
        self.servicesSection = servicesSection
        self.profileEndpoint = profileEndpoint
    }

    public static func resolve(commandLine: String?, environment env: Environment, files: SharedConfigFiles? = nil,
                               profile: Profile? = nil) throws(ConfigurationError) -> EndpointSettings {
        var perService: [String: SourcedValue] = [:]
        for (name, value) in env.variables where name.hasPrefix(SettingNames.endpointURLPrefix) && !value.isEmpty {
            perService[String(name.dropFirst(SettingNames.endpointURLPrefix.count))] = SourcedValue(value, source: name)
        }
        let ignore = env[SettingNames.ignoreConfiguredEndpointURLs].map { $0.lowercased() == "true" }
            ?? (profile?.values["ignore_configured_endpoint_urls"]?.text.lowercased() == "true")
        var services: [String: SourcedValue] = [:]
        if let name = profile?.values["services"], let files {
            guard let section = files.servicesSection(name.text) else {
                throw ConfigurationError("profile \(profile?.name ?? "") (\(name.location)) names services section '\(PrintableText.escaped(name.text))', which \(files.configPath) does not have")
            }
            for entry in section.entries {
                if let url = entry.subsection?["endpoint_url"], !url.isEmpty {
                    services[entry.key] = SourcedValue(url, source: "[services \(name.text)] \(entry.key) (\(files.configPath):\(entry.line))")
                }
            }
        }
        let profileEndpoint = profile?.values["endpoint_url"].flatMap { v in
            v.text.isEmpty ? nil : SourcedValue(v.text, source: "endpoint_url of profile \(profile?.name ?? "") (\(v.location))")
        }
        var settings = EndpointSettings(commandLine: commandLine, ignoreConfigured: ignore,
                                        global: env.nonEmpty(SettingNames.endpointURL).map { SourcedValue($0, source: SettingNames.endpointURL) },
                                        perService: perService, servicesSection: services, profileEndpoint: profileEndpoint)
        settings.accountIdEndpointModeSetting = env[SettingNames.accountIdEndpointMode].map { SourcedValue($0, source: SettingNames.accountIdEndpointMode) }
            ?? profile?.values[SettingNames.ProfileKey.accountIdEndpointMode].map {
                SourcedValue($0.text, source: "\(SettingNames.ProfileKey.accountIdEndpointMode) of profile \(profile?.name ?? "") (\($0.location))")
            }
        return settings
    }

    /// `account_id_endpoint_mode` as botocore reads it: lower-cased, `preferred` when unset; any
    /// other value than `preferred`, `disabled` or `required` is botocore's `InvalidConfigError`.
    public func accountIdEndpointMode() throws(ConfigurationError) -> AccountIdEndpointMode {
        guard let setting = accountIdEndpointModeSetting else { return .preferred }
        guard let mode = AccountIdEndpointMode(rawValue: setting.value.lowercased()) else {
            throw ConfigurationError("The configured value '\(PrintableText.escaped(setting.value))' for 'account_id_endpoint_mode' is invalid. "
                                     + "Valid values are: ('preferred', 'disabled', 'required'). (\(setting.source))")
        }
        return mode
    }

    /// The URL configured for `service` and where it came from; `--endpoint-url` counts only
    /// for the command's own service (credential providers' STS and SSO calls do not use it).
    public func configured(for service: AWSService, useCommandLine: Bool = true) -> SourcedValue? {
        if useCommandLine, let commandLine { return SourcedValue(commandLine, source: "--endpoint-url") }
        guard !ignoreConfigured else { return nil }
        return perService[service.environmentSuffix] ?? global ?? servicesSection[service.environmentSuffix.lowercased()] ?? profileEndpoint
    }
}
