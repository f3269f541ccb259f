import AWSConfig
import AWSCore
import SigV4

/// A profile's `credential_process`: the command line is split as a POSIX shell would (no
/// `~` or variable expansion), run without a shell, and must print
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
public struct ProcessCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.process
    let context: CredentialContext
    let settings: ProcessSettings

    /// How many `credential_process` runs deep credctl may go, so that a profile whose process
    /// calls credctl on the same profile stops instead of forking forever. The depth is the
    /// larger of `CREDCTL_CREDENTIAL_PROCESS_DEPTH` (set in each child's environment) and the
    /// number of credctl processes among this one's ancestors, which no cleaned environment
    /// (`env -u`, `env -i`) hides.
    static let maximumDepth = 4

    /// credctl processes among this one's ancestors (tests give a number).
    let ancestors: @Sendable () -> Int

    public init(context: CredentialContext, settings: ProcessSettings,
                ancestors: @escaping @Sendable () -> Int = { ProcessAncestry.ancestorsRunningThisProgram() }) {
        self.context = context
        self.settings = settings
        self.ancestors = ancestors
    }

    var profileName: String { settings.profile }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let setting = settings.command else {
            return .notFound("profile '\(profileName)' has no credential_process")
        }
        let origin = "credential_process of profile '\(profileName)' (\(setting.source))"
        guard let arguments = ShellWords.split(setting.value), !arguments.isEmpty else {
            throw .configuration(ConfigurationError("\(origin): a quote is left open"))
        }
        let depth = max(settings.depth, settings.depth < Self.maximumDepth ? ancestors() : 0)
        guard depth < Self.maximumDepth else {
            throw .configuration(ConfigurationError("\(origin): credential processes nested \(depth) deep; does the process call credctl on the same profile?"))
        }
        var environment = context.environment.variables
        environment[SettingNames.processDepth] = String(depth + 1)
        context.log("credentials: running credential_process of profile '\(profileName)': \(arguments[0])")
        let doc = try Self.run(arguments, environment: environment, origin: origin)
        return .found(Credentials(signing: doc.credentials, expiration: doc.expiration,
                                  provenance: Provenance(provider: .process, profile: profileName, location: setting.source),
                                  accountId: doc.accountId ?? settings.accountId.flatMap { $0.isEmpty ? nil : $0 }))
    }

    /// Runs a credential process and checks its output as every process result is checked
    /// (exit status, JSON, Version 1, the keys, no control characters, a readable Expiration):
    /// `credential_process` here, `credctl cached` and the agent alike. Its stdout, which may
    /// hold a secret, is never quoted; its stderr is, on one line.
    public static func run(_ arguments: [String], environment: [String: String], origin: String) throws(AWSError) -> (credentials: SigningCredentials, expiration: Int?, accountId: String?) {
        let result: Subprocess.Result
        do { result = try Subprocess.run(arguments, environment: environment) } catch {
            throw .noCredentials("\(origin): \(error)")
        }
        if result.timedOut {
            throw .noCredentials("\(origin) did not finish within \(Int(Subprocess.Limits.standard.timeout)) s and was ended")
        }
        if result.outputExceeded {
            throw .noCredentials("\(origin) printed more than \(Subprocess.Limits.standard.outputBytes) bytes; its output is not read")
        }
        guard result.status == 0 else {
            var message = "\(origin) exited with status \(result.status)"
            let stderr = String(decoding: result.standardError.prefix(2000), as: UTF8.self)
                .split(whereSeparator: \.isNewline).map { PrintableText.escaped(String($0).trimmingSpaces()) }.filter { !$0.isEmpty }
                .joined(separator: " / ")
            if !stderr.isEmpty { message += ": \(stderr)" }
            throw .noCredentials(message)
        }
        return try checked(result.standardOutput, origin: origin)
    }

    /// A process's standard output checked as every process result is (JSON, Version 1, the
    /// keys, no control characters, a readable Expiration): what `run` returns, and what
    /// `credctl cached` requires again of a result it kept.
    public static func checked(_ output: [UInt8], origin: String) throws(AWSError) -> (credentials: SigningCredentials, expiration: Int?, accountId: String?) {
        let json = try TemporaryCredentialsDocument.parse(output, source: origin)
        if let problem = ProcessOutputVersion.problem(json) { throw .noCredentials("\(origin): \(problem)") }
        let doc = try TemporaryCredentialsDocument(json: json, tokenKey: "SessionToken", requireToken: false,
                                                   requireExpiration: false, source: origin)
        return (doc.credentials, doc.expiration, doc.accountId)
    }
}

extension ProcessCredentialsProvider {
    public static let registration = ProviderRegistration(
        kind: .process,
        reads: [SettingNames.ProfileKey.credentialProcess, SettingNames.processDepth],
        alsoIn: [.sourceProfile]
    ) { scope in
        ProcessCredentialsProvider(context: scope.context, settings: .resolve(profileName: scope.profileName, profile: scope.profileValues,
                                                                              environment: scope.context.environment))
    }
}

extension Provenance.Provider {
    public static let process = Provenance.Provider("credential-process")
}
