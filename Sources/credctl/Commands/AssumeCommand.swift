import ArgumentParser
import AWSCore
import AWSCredentials
import Workflows

struct AssumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assume",
        abstract: "Assume a role profile, an SSO profile, a vault profile or a role ARN; print its credentials, export them as a profile, or run a command with them.",
        discussion: HelpText.reflowed("""
            credctl assume prod-admin             # a role, SSO or vault profile
            credctl assume arn:aws:iam::123456789012:role/deploy \\
                --external-id 7a1c9e2f-deploy --format env
            credctl assume prod-admin -- terraform plan
            credctl assume prod-admin --server -- ./long-job.sh    # refreshing endpoint
            credctl assume prod-admin --export-profile prod-admin-tmp  # a static profile

            A profile is resolved through the credential chain as --profile would (cached role and SSO
            credentials are used; a vault profile gives session credentials); a profile that gives a
            long-term key is refused. A role ARN is assumed with the resolved credentials (--profile
            chooses them) by STS AssumeRole on the regional endpoint of the resolved region
            (sts_regional_endpoints / AWS_STS_REGIONAL_ENDPOINTS = legacy keeps the global endpoint for
            the older regions; --endpoint-url or AWS_ENDPOINT_URL_STS override); its external id, session
            name and duration are checked against STS's rules first (exit 2).

            With a command after --, the command runs as under `creds exec` (CREDCTL_PROFILE, both region
            variables, AWS_CREDENTIAL_EXPIRATION; credctl replaces itself with it), or, with --server, with
            a refreshing credentials endpoint instead of keys. --export-profile NAME writes the credentials
            into the shared credentials file as [NAME], with x_security_token_expires, atomically (mode
            0600, every other byte kept); only a profile credctl exported before is ever replaced.
            --output json is --format json.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("A profile name, or the role to assume: arn:aws:iam::ACCOUNT:role/NAME.", valueName: "profile-or-role-arn"),
              completion: ProfileCompletion.kind)
    var target: String

    @Option(name: .customLong("external-id"), help: "The external id the role's trust policy requires (role ARN only).")
    var externalId: String?

    @Option(name: .customLong("session-name"), help: "The role session name (role ARN only; default credctl-TIME).")
    var sessionName: String?

    @Option(help: "How long the credentials last (role ARN only): 900 s to 12 h, as 3600 (seconds), 15m, 1h or 12h.")
    var duration: String?

    @Option(name: .customLong("mfa-serial"), help: "The MFA device ARN the role requires (role ARN only; the code comes from --mfa-code or a prompt).")
    var mfaSerial: String?

    @Option(help: "process, env, env-no-export, dotenv, json, fish, powershell or windows-cmd (default env).")
    var format: CredentialExportFormat?

    @Option(name: .customLong("export-profile"), help: "Write the credentials into the shared credentials file as this profile.")
    var exportProfile: String?

    @Flag(help: "Run the command (default $SHELL) with a refreshing credentials endpoint on 127.0.0.1 instead of keys.")
    var server = false

    @Flag(name: .customLong("allow-nested"), help: "Run a command even inside another creds exec (CREDCTL_PROFILE set).")
    var allowNested = false

    @Argument(parsing: .postTerminator, help: "A command to run with the credentials, after --.")
    var command: [String] = []

    func run() throws {
        let target = AssumeTarget(self.target)
        let roleOptions = [("--external-id", externalId), ("--session-name", sessionName), ("--duration", duration), ("--mfa-serial", mfaSerial)]
        try target.checkOptions(roleOptions: roleOptions.filter { $0.1 != nil }.map(\.0), profileFlag: global.profile)
        if exportProfile != nil, server || !command.isEmpty || format != nil {
            throw CommandInputError("--export-profile writes the credentials into the credentials file; it does not go with --format, --server or a command")
        }
        let environment = Environment.current()
        let runsCommand = server || !command.isEmpty
        if runsCommand, let format {
            throw CommandInputError("--format \(format.rawValue) prints the credentials; it does not go with --server or a command, which get them in their environment")
        }
        if runsCommand {
            try Run.refuse(global, unless: [], "the command's own output is what assume prints when it runs one")
            try ExecEnvironment.checkNesting(environment, allowNested: allowNested)
        }
        let export = exportProfile.map { ProfileExport(name: $0, environment: environment) }
        try export?.validate()
        let chosen = export == nil && !runsCommand ? try exportFormat(format, global, default: .env) : .env

        var options = global
        let workflow: AssumeRoleWorkflow?
        switch target {
        case .role(let arn):
            let seconds = try duration.map { (d) throws(AWSError) in
                try DurationText.seconds(d, option: "--duration", bareUnit: .seconds, within: 1...43_200)
            }
            workflow = AssumeRoleWorkflow(roleArn: arn, externalId: externalId, sessionName: sessionName, durationSeconds: seconds, mfaSerial: mfaSerial)
            try workflow?.validate()
        case .profile(let name):
            try AssumeTarget.checkProfileExists(name, environment: environment)
            options.profile = name
            workflow = nil
        }

        try Run.session(options, printsOwnBytes: export == nil) { session in
            try export?.checkTarget(session.files)
            if runsCommand {
                try ExecEnvironment.checkChild(server ? .server : .keysInEnvironment, over: environment.variables, files: session.files,
                                               servedProfile: workflow == nil ? session.profileSelection.name : nil)
            }
            if server {
                let fetch = try workflow.map { ServedCredentialsSource.role($0, session: session) }
                    ?? Self.temporaryOnly(try ServedCredentialsSource.profile(session), session)
                let exec = ServedExec(command: ExecEnvironment.command(command, environment: environment), baseEnvironment: environment.variables,
                                      region: session.configuredRegion.region?.name, marker: target.marker, options: ServedExecRunner.options(global), fetch: fetch)
                try ServedExecRunner.run(exec, global: global, session: session)
            }
            let credentials = try workflow.map { try $0.run(session).credentials } ?? (try AssumeTarget.profileCredentials(session))
            if let export {
                let written = try export.write(credentials, source: target.marker, files: session.files)
                return .report(AssumeReport.exported(export.name, written: written, credentials: credentials, source: target.marker))
            }
            if !command.isEmpty {
                throw ExecLaunch.replaceProcess(with: command, environment: ExecEnvironment.withKeys(
                    credentials, over: environment.variables, marker: target.marker, region: session.configuredRegion.region?.name))
            }
            return .text(try CredentialExport(credentials: credentials, region: session.configuredRegion.region?.name).render(chosen))
        }
    }

    /// A profile's served credentials, refused (on the first fetch, before the child starts) when long-term.
    static func temporaryOnly(_ fetch: @escaping @Sendable () throws(AWSError) -> Credentials,
                              _ session: AWSSession) -> @Sendable () throws(AWSError) -> Credentials {
        let name = session.profileSelection.name
        return { () throws(AWSError) -> Credentials in try AssumeTarget.requireTemporary(try fetch(), profile: name) }
    }
}
