import AWSCore

/// Which profile is in use and why.
public struct ProfileSelection: Sendable, Equatable {
    public enum Source: String, Sendable {
        case flag = "--profile"
        case awsProfile = "AWS_PROFILE"
        case awsDefaultProfile = "AWS_DEFAULT_PROFILE"
        case defaultName = "default"
    }

    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// `--profile` (an empty one is ignored, as the AWS CLI does), then `AWS_PROFILE`, then
    /// `AWS_DEFAULT_PROFILE`, then `default`. A variable set to the empty string selects the
    /// profile named "", which no file defines: botocore reports it as not found, and so does
    /// credctl. (botocore reads `AWS_DEFAULT_PROFILE` before `AWS_PROFILE`; the AWS CLI v2 and
    /// credctl give `AWS_PROFILE` precedence.)
    public static func resolve(flag: String?, environment env: Environment) -> ProfileSelection {
        if let flag, !flag.isEmpty { return ProfileSelection(name: flag, source: .flag) }
        if let p = env["AWS_PROFILE"] { return ProfileSelection(name: p, source: .awsProfile) }
        if let p = env["AWS_DEFAULT_PROFILE"] { return ProfileSelection(name: p, source: .awsDefaultProfile) }
        return ProfileSelection(name: "default", source: .defaultName)
    }

    /// True when the user named the profile explicitly on the command line: the env-credentials
    /// provider is then skipped, as botocore does.
    public var isExplicit: Bool { source == .flag }

    public var isDefault: Bool { source == .defaultName }
}

extension SharedConfigFiles {
    /// What follows "profile 'X' … is not in the files": the closest names the files define
    /// (`did you mean 'prod'?`), else the names there are (the first ten), else that there is none.
    public func closestProfiles(to name: String) -> String {
        let names = profileNames.filter { !$0.isEmpty }
        let near = NearestNames.suggestion(for: name, in: names)
        if !near.isEmpty { return near }
        if names.isEmpty { return "neither file defines a profile" }
        let shown = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
        return "the profiles there: \(shown)" + (names.count > 10 ? " and \(names.count - 10) more" : "")
    }
}
