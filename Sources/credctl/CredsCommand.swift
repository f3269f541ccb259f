import ArgumentParser
import AWSCore
import AWSCredentials
import Workflows

extension CredentialExportFormat: ExpressibleByArgument {}

struct CredsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creds",
        abstract: "Show, export or run a command with the resolved credentials.",
        subcommands: [CredsShowCommand.self, CredsExportCommand.self, CredsExecCommand.self]
    )
}

struct CredsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Every credential setting with its value (secrets masked), source and location.",
        discussion: """
            Like `aws configure list`, but for the whole chain: which provider answered and by which
            rule, the role chain of an assumed role, the expiry, the region and where it came from,
            and what every provider before the winner found. Makes no call except those the chain
            itself needs (AssumeRole, web identity, container or instance metadata).

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let resolution = try session.resolveCredentials()
            StandardStream.output.write(Self.output(resolution, session: session).render(global.output))
        }
    }

    static func output(_ r: CredentialChain.Resolution, session: AWSSession) -> RecordOutput {
        let c = r.credentials
        let p = c.provenance
        let s = c.signing
        let profile = "\(session.profileSelection.name) (from \(session.profileSelection.source.rawValue))"
        let region = session.region.map { "\($0.name) (from \($0.source))" } ?? "not set"
        let expiry = c.expiration.map { Timestamp.format($0) }
        let json: JSONValue = .object([
            ("Profile", .object([("Name", .string(session.profileSelection.name)), ("Source", .string(session.profileSelection.source.rawValue))])),
            ("AccessKeyId", .string(Redaction.keyId(s.accessKeyId))),
            ("SecretAccessKey", .string(Redaction.secret(s.secretAccessKey))),
            ("SessionToken", .optional(s.sessionToken.map { _ in "(set, not shown)" })),
            ("KeyType", .string(KeyTypeText.short(c.keyType))),
            ("Credentials", ProvenanceOutput.json(p, expiration: expiry, attempts: r.attempts)),
            ("Region", .object([("Name", .optional(session.region?.name)), ("Source", .optional(session.region?.source))])),
            ("ConfigFile", .string(session.files.configPath)),
            ("CredentialsFile", .string(session.files.credentialsPath)),
        ])
        var fields: [(key: String, label: String, value: String?)] = [
            ("profile", "Profile", profile),
            ("access_key_id", "Access key", Redaction.keyId(s.accessKeyId)),
            ("secret_access_key", "Secret key", Redaction.secret(s.secretAccessKey)),
            ("session_token", "Session token", s.sessionToken == nil ? "not set" : "set (not shown)"),
            ("key_type", "Key type", c.keyType.rawValue),
        ]
        fields += ProvenanceOutput.fields(p, expiration: expiry)
        fields += [
            ("region", "Region", region),
            ("config_file", "Config file", session.files.configPath),
            ("credentials_file", "Credentials file", session.files.credentialsPath),
        ]
        fields += r.attempts.enumerated().map { i, a in ("tried_\(i + 1)", i == 0 ? "Providers tried" : "", "\(a.provider): \(a.outcome)") }
        return RecordOutput(fields: fields, json: json)
    }
}

struct CredsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the resolved credentials for a shell, a .env file or another tool.",
        discussion: """
            Formats: env (export lines for sh/bash/zsh: eval "$(credctl creds export)"), dotenv,
            json, fish, powershell, and process: the credential_process JSON, so that any AWS tool's
            profile can use credctl:

                [profile via-credctl]
                credential_process = credctl creds export --format process --profile work

            The shell formats also set AWS_REGION and AWS_DEFAULT_REGION when a region is known, and
            unset a stale AWS_SESSION_TOKEN/AWS_SECURITY_TOKEN when the credentials have none.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "process, env, dotenv, json, fish or powershell.")
    var format: CredentialExportFormat = .env

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let credentials = try session.resolveCredentials().credentials
            StandardStream.output.write(CredentialExport(credentials: credentials, region: session.region?.name).render(format))
        }
    }
}

struct CredsExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the resolved credentials in its environment.",
        discussion: """
            credctl creds exec --profile prod -- aws s3 ls

            The command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (when there is
            one), AWS_CREDENTIAL_EXPIRATION (when they expire), and AWS_REGION and AWS_DEFAULT_REGION
            (when a region is known). Variables that would make it pick other credentials are removed
            first: AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_SECURITY_TOKEN, AWS_ROLE_ARN,
            AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_*. credctl replaces itself with the command, so
            the exit status is the command's own; 127 when it cannot be started.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the command to run after --, as in: credctl creds exec -- aws s3 ls") }
    }

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let credentials = try session.resolveCredentials().credentials
            try ExecLauncher.replaceProcess(with: command, export: CredentialExport(credentials: credentials, region: session.region?.name),
                                            environment: session.environment)
        }
    }
}

/// Replaces credctl with a command carrying credentials in its environment.
enum ExecLauncher {
    static func replaceProcess(with command: [String], export: CredentialExport, environment: Environment) throws {
        let failure = Subprocess.replaceProcess(command, environment: export.environment(over: environment.variables))
        StandardStream.error.write("credctl: error: \(failure)\n")
        throw ExitCode(127)
    }
}
