import AWSCore

/// Where credctl keeps its own state (journals, locks, caches): `CREDCTL_STATE_DIR`, else
/// `~/.aws/credctl`.
public enum StatePaths {
    public static func directory(_ env: Environment) -> String {
        env.nonEmpty(SettingNames.stateDirectory) ?? LocalFile.expandTilde("~/.aws/credctl", env)
    }
}
