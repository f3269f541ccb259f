import AWSCore

/// Where the user sent requests instead of AWS's default endpoints: `--endpoint-url` (the
/// command's own service only), `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`; the
/// variables are ignored under `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
public struct EndpointSettings: Sendable, Equatable {
    public var commandLine: String?
    public var ignoreConfigured: Bool
    public var global: SourcedValue?
    /// By the service's variable suffix (`STS`, `SECRETS_MANAGER`).
    public var perService: [String: SourcedValue]

    public init(commandLine: String? = nil, ignoreConfigured: Bool = false, global: SourcedValue? = nil, perService: [String: SourcedValue] = [:]) {
        self.commandLine = commandLine
        self.ignoreConfigured = ignoreConfigured
        self.global = global
        self.perService = perService
    }

    public static func resolve(commandLine: String?, environment env: Environment) -> EndpointSettings {
        var perService: [String: SourcedValue] = [:]
        for (name, value) in env.variables where name.hasPrefix(SettingNames.endpointURLPrefix) && !value.isEmpty {
            perService[String(name.dropFirst(SettingNames.endpointURLPrefix.count))] = SourcedValue(value, source: name)
        }
        return EndpointSettings(commandLine: commandLine, ignoreConfigured: env.bool(SettingNames.ignoreConfiguredEndpointURLs) == true,
                                global: env.nonEmpty(SettingNames.endpointURL).map { SourcedValue($0, source: SettingNames.endpointURL) },
                                perService: perService)
    }

    /// The URL configured for `service` and where it came from; `--endpoint-url` counts only
    /// for the command's own service (credential providers' STS calls do not use it).
    public func configured(for service: AWSService, useCommandLine: Bool = true) -> SourcedValue? {
        if useCommandLine, let commandLine { return SourcedValue(commandLine, source: "--endpoint-url") }
        guard !ignoreConfigured else { return nil }
        return perService[service.environmentSuffix] ?? global
    }
}
