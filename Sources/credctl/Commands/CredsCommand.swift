import ArgumentParser
import AWSCore
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
        discussion: HelpText.reflowed("""
            Like `aws configure list`, but for the whole chain: which provider answered and by which
            rule, the role chain of an assumed role, the expiry, the region and where it came from,
            and what every provider before the winner found. Makes no call except those the chain
            itself needs (AssumeRole, web identity, container or instance metadata).

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.session(global) { session in .report(try CredentialsWorkflow(session: session).show()) }
    }
}

/// `--format`, or `json` when only `--output json` was given; other `--output` values do not apply.
func exportFormat(_ format: CredentialExportFormat?, _ global: GlobalOptions, default fallback: CredentialExportFormat) throws -> CredentialExportFormat {
    try Run.productFormat(format, global, json: .json, default: fallback, "the credentials are printed in the --format chosen (env, json, process, …)")
}

struct CredsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the resolved credentials for a shell, a .env file or another tool.",
        discussion: HelpText.reflowed("""
            Formats: env (export lines for sh/bash/zsh: eval "$(credctl creds export)"), env-no-export,
            dotenv, json, fish, powershell, windows-cmd, and process: the credential_process JSON (the
            same fields as `aws configure export-credentials`), so that any AWS tool's profile can
            use credctl:

                [profile via-credctl]
                credential_process = credctl creds export --format process --profile work

            The shell formats also set AWS_REGION and AWS_DEFAULT_REGION when a region is known, and
            unset a stale AWS_SESSION_TOKEN/AWS_SECURITY_TOKEN when the credentials have none.
            --output json is --format json.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "process, env, env-no-export, dotenv, json, fish, powershell or windows-cmd (default env).")
    var format: CredentialExportFormat?

    func run() throws {
        let chosen = try exportFormat(format, global, default: .env)
        try Run.session(global, printsOwnBytes: true) { session in
            .text(try CredentialsWorkflow(session: session).export(chosen))
        }
    }
}

struct CredsExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command (or your shell) with the resolved credentials, or with a credentials server that keeps them fresh.",
        discussion: HelpText.reflowed("""
            credctl creds exec --profile prod -- aws s3 ls
            credctl creds exec --profile prod --server -- ./nightly-job.sh
            credctl creds exec --profile prod      # $SHELL (else /bin/sh) as prod

            The command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (when there is
            one), AWS_CREDENTIAL_EXPIRATION (ISO 8601, when they expire), AWS_REGION and AWS_DEFAULT_REGION
            (when a region is known), and CREDCTL_PROFILE naming the profile. A vault profile gives
            session credentials, never its long-term key. Variables that would make it pick other
            credentials are removed first: AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_SECURITY_TOKEN,
            AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_*. credctl replaces itself with the
            command, so the exit status is the command's own; 127 when it cannot be started.

            --server: no key variable at all. credctl starts a credentials endpoint on 127.0.0.1 (random
            port, random bearer token), gives the command AWS_CONTAINER_CREDENTIALS_FULL_URI and
            AWS_CONTAINER_AUTHORIZATION_TOKEN, refreshes role, SSO and session credentials before they
            expire for as long as the command runs (every AWS SDK refreshes from it on its own), passes
            on SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2, stops the endpoint when the
            command ends, and exits as the command did.

            Inside another creds exec (CREDCTL_PROFILE set) credctl refuses to run (exit 2) unless
            --allow-nested is given.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Serve the credentials from a refreshing endpoint on 127.0.0.1 instead of putting keys in the environment.")
    var server = false

    @Flag(name: .customLong("allow-nested"), help: "Run even inside another creds exec (CREDCTL_PROFILE set).")
    var allowNested = false

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after -- (default: $SHELL).")
    var command: [String] = []

    func run() throws {
        try Run.refuse(global, unless: [], "the command's own output is what exec prints")
        let environment = Environment.current()
        try ExecEnvironment.checkNesting(environment, allowNested: allowNested)
        let session = try global.session()
        let command = ExecEnvironment.command(self.command, environment: environment)
        let marker = session.profileSelection.name
        try ExecEnvironment.checkChild(server ? .server : .keysInEnvironment, over: environment.variables, files: session.files, servedProfile: marker)
        if server {
            let exec = ServedExec(command: command, baseEnvironment: environment.variables, region: session.configuredRegion.region?.name, marker: marker,
                                  options: ServedExecRunner.options(global), fetch: try ServedCredentialsSource.profile(session))
            try ServedExecRunner.run(exec, global: global, session: session)
        }
        throw ExecLaunch.replaceProcess(with: command, environment: try CredentialsWorkflow(session: session).execEnvironment(
            over: environment.variables, marker: marker))
    }
}
