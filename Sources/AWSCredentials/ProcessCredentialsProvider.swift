import AWSConfig
import AWSCore

/// A profile's `credential_process`: the command line is split as a POSIX shell would (no
/// `~` or variable expansion), run without a shell, and must print
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
public struct ProcessCredentialsProvider: CredentialProvider {
    public let name = "credential-process"
    let context: CredentialContext
    let profileName: String

    /// Set in the child's environment: how many `credential_process` runs deep this is, so that
    /// a profile whose process calls credctl on the same profile stops instead of forking forever.
    static let depthVariable = "CREDCTL_CREDENTIAL_PROCESS_DEPTH"
    static let maximumDepth = 4

    public init(context: CredentialContext, profileName: String) {
        self.context = context
        self.profileName = profileName
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let setting = context.files.profile(profileName)?.values["credential_process"], !setting.text.isEmpty else {
            return .notFound("profile '\(profileName)' has no credential_process")
        }
        let origin = "credential_process of profile '\(profileName)' (\(setting.location))"
        guard let arguments = ShellWords.split(setting.text), !arguments.isEmpty else {
            throw .configuration(ConfigurationError("\(origin): a quote is left open"))
        }
        let depth = Int(context.environment[Self.depthVariable] ?? "") ?? 0
        guard depth < Self.maximumDepth else {
            throw .configuration(ConfigurationError("\(origin): credential processes nested \(depth) deep; does the process call credctl on the same profile?"))
        }
        var environment = context.environment.variables
        environment[Self.depthVariable] = String(depth + 1)
        context.log("credentials: running credential_process of profile '\(profileName)': \(arguments[0])")
        let result: Subprocess.Result
        do { result = try Subprocess.run(arguments, environment: environment) } catch {
            throw .noCredentials("\(origin): \(error)")
        }
        guard result.status == 0 else {
            var message = "\(origin) exited with status \(result.status)"
            // Its stderr on one line; its stdout, which may hold a secret, never.
            let stderr = String(decoding: result.standardError.prefix(2000), as: UTF8.self)
                .split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }.joined(separator: " / ")
            if !stderr.isEmpty { message += ": \(stderr)" }
            throw .noCredentials(message)
        }
        let json = try TemporaryCredentialsDocument.parse(result.standardOutput, source: origin)
        guard json["Version"]?.intValue == 1 else {
            throw .noCredentials("\(origin): the output's Version must be 1")
        }
        let doc = try TemporaryCredentialsDocument(json: json, tokenKey: "SessionToken", requireToken: false,
                                                   requireExpiration: false, source: origin)
        return .found(Credentials(signing: doc.credentials, expiration: doc.expiration,
                                  provenance: Provenance(provider: .process, profile: profileName, location: setting.location)))
    }
}
