import AWSCore

/// What `creds exec` and `assume … -- CMD` take from the environment: the profile of an outer
/// `creds exec` (`CREDCTL_PROFILE`, set in every child), and the user's shell (`SHELL`) to run
/// when no command is given.
public struct ExecSettings: Sendable, Equatable {
    public var outerProfile: String?
    public var shell: String?

    public init(outerProfile: String?, shell: String?) {
        self.outerProfile = outerProfile
        self.shell = shell
    }

    public static func resolve(_ environment: Environment) -> ExecSettings {
        ExecSettings(outerProfile: environment.nonEmpty(SettingNames.execMarker), shell: environment.nonEmpty("SHELL"))
    }
}
