import AWSConfig
import AWSCore
import AWSCredentials

/// What `credctl assume` was given: a role ARN (assumed with the resolved credentials) or a
/// profile (a role, SSO or vault profile, or any other whose credentials are temporary),
/// resolved through the chain as `--profile` would.
public enum AssumeTarget: Sendable, Equatable {
    case role(arn: String)
    case profile(String)

    /// Anything starting with `arn:` is a role ARN (and checked as one); anything else a profile.
    public init(_ argument: String) {
        self = argument.hasPrefix("arn:") ? .role(arn: argument) : .profile(argument)
    }

    /// The `CREDCTL_PROFILE` a child gets: the profile, or the role ARN.
    public var marker: String {
        switch self {
        case .role(let arn): return arn
        case .profile(let name): return name
        }
    }

    /// Refuses what only applies to the other kind of target (exit 2), before anything is read.
    /// `roleOptions` are the role-only options given (`--external-id`, …).
    public func checkOptions(roleOptions: [String], profileFlag: String?) throws(AWSError) {
        guard case .profile(let name) = self else { return }
        if let option = roleOptions.first {
            throw .configuration(ConfigurationError(
                "\(option) applies to a role ARN; profile '\(PrintableText.escaped(name))' takes its own settings from the config file"))
        }
        if let flag = profileFlag {
            throw .configuration(ConfigurationError(
                "give the profile once: credctl assume \(PrintableText.escaped(name)) (--profile \(PrintableText.escaped(flag)) chooses the credentials that assume a role ARN)"))
        }
    }

    /// A profile must be in one of the shared files.
    public static func checkProfileExists(_ name: String, environment: Environment) throws(AWSError) {
        let files: SharedConfigFiles
        do { files = try SharedConfigFiles.load(environment) } catch { throw error.awsError }
        guard files.profile(name) == nil else { return }
        throw .configuration(ConfigurationError(
            "'\(PrintableText.escaped(String(name.prefix(64))))' is neither a role ARN (arn:aws:iam::123456789012:role/NAME) nor a profile in \(files.configPath) or \(files.credentialsPath)"))
    }

    /// The profile's credentials, which must be temporary: `assume` never hands out a long-term key.
    public static func profileCredentials(_ session: AWSSession) throws(AWSError) -> Credentials {
        try requireTemporary(try session.resolveCredentials().credentials, profile: session.profileSelection.name)
    }

    public static func requireTemporary(_ credentials: Credentials, profile name: String) throws(AWSError) -> Credentials {
        guard credentials.signing.sessionToken == nil else { return credentials }
        throw .configuration(ConfigurationError(
            "profile '\(PrintableText.escaped(name))' gives a long-term key (\(credentials.provenance.summary)), and assume hands out temporary credentials only: "
                + "give a role, SSO or vault profile, or assume a role with it (credctl assume ROLE_ARN --profile \(PrintableText.escaped(name)))"))
    }
}
