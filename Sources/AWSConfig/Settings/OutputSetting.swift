import AWSCore

/// The output format a run's settings ask for, and where that came from: `AWS_DEFAULT_OUTPUT`,
/// else the profile's `output` (the AWS CLI's order after `--output`). Which formats there are
/// is the CLI's business (`OutputChoice`).
public struct OutputSetting: Sendable, Equatable {
    public var value: String
    public var source: String

    public init(value: String, source: String) {
        self.value = value
        self.source = source
    }

    public static let variable = "AWS_DEFAULT_OUTPUT"

    public static func resolve(environment: Environment, profile: Profile?) -> OutputSetting? {
        if let v = environment.nonEmpty(variable) { return OutputSetting(value: v, source: variable) }
        if let v = profile?["output"], let at = profile?.values["output"] {
            return OutputSetting(value: v, source: "output of profile \(profile?.name ?? "") (\(at.location))")
        }
        return nil
    }
}
