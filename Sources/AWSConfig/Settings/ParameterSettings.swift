import AWSCore

/// The parameter root's defaults from the environment: `CREDCTL_PARAMS_PREFIX` and
/// `CREDCTL_PARAMS_ENV` (the `--prefix` and `--env` flags win over them).
public struct ParameterSettings: Sendable, Equatable {
    public var prefix: String?
    public var env: String?

    public init(prefix: String?, env: String?) {
        self.prefix = prefix
        self.env = env
    }

    public static func resolve(_ environment: Environment) -> ParameterSettings {
        ParameterSettings(prefix: environment.nonEmpty(SettingNames.paramsPrefix), env: environment.nonEmpty(SettingNames.paramsEnvironment))
    }
}
