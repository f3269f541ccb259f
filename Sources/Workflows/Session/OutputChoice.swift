import AWSConfig
import AWSCore

/// Which format a command prints: `--output`, else `AWS_DEFAULT_OUTPUT`, else the profile's
/// `output`, else `table`, as the AWS CLI chooses. A format credctl cannot give (the AWS CLI's
/// `yaml`) is a clear error, never silently replaced.
public enum OutputChoice {
    public static func resolve(flag: OutputFormat?, environment: Environment, profile: Profile?) throws(AWSError) -> OutputFormat {
        if let flag { return flag }
        guard let chosen = OutputSetting.resolve(environment: environment, profile: profile) else { return .table }
        guard let format = OutputFormat(rawValue: chosen.value.lowercased()) else {
            throw .configuration(ConfigurationError(
                "\(chosen.source) is '\(PrintableText.escaped(chosen.value))'; credctl prints json, text, table or csv: pass --output or change it"))
        }
        return format
    }

    /// The same, for commands that make no session: the profile is read if the files can be
    /// read (a broken file is that command's business only when it reads files).
    public static func resolveOffline(flag: OutputFormat?, profileFlag: String?, environment: Environment) throws(AWSError) -> OutputFormat {
        if flag != nil || OutputSetting.resolve(environment: environment, profile: nil) != nil {
            return try resolve(flag: flag, environment: environment, profile: nil)
        }
        let files = try? SharedConfigFiles.load(environment)
        let selection = ProfileSelection.resolve(flag: profileFlag, environment: environment)
        return try resolve(flag: nil, environment: environment, profile: files?.profile(selection.name))
    }
}
