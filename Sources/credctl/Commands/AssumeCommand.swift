import ArgumentParser
import AWSCore
import Workflows

struct AssumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assume",
        abstract: "Assume an IAM role with the resolved credentials; print its credentials or run a command with them.",
        discussion: """
            credctl assume arn:aws:iam::123456789012:role/deploy --external-id X --format env
            credctl assume arn:aws:iam::123456789012:role/deploy -- terraform plan

            Calls STS AssumeRole on the regional endpoint of the resolved region (sts_regional_endpoints /
            AWS_STS_REGIONAL_ENDPOINTS = legacy keeps the global endpoint for the older regions;
            --endpoint-url or AWS_ENDPOINT_URL_STS override). The role ARN, external id, session name
            and duration are checked against STS's rules first (exit 2). With a command after --,
            credctl replaces itself with the command, as `creds exec` does. --output json is --format json.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The role to assume: arn:aws:iam::ACCOUNT:role/NAME.")
    var roleArn: String

    @Option(name: .customLong("external-id"), help: "The external id the role's trust policy requires.")
    var externalId: String?

    @Option(name: .customLong("session-name"), help: "The role session name (default credctl-TIME).")
    var sessionName: String?

    @Option(help: "How long the credentials last: 900 s to 12 h, as 3600 (seconds), 15m, 1h or 12h.")
    var duration: String?

    @Option(name: .customLong("mfa-serial"), help: "The MFA device ARN the role requires (the code comes from --mfa-code or a prompt).")
    var mfaSerial: String?

    @Option(help: "process, env, env-no-export, dotenv, json, fish, powershell or windows-cmd (default env).")
    var format: CredentialExportFormat?

    @Argument(parsing: .postTerminator, help: "A command to run with the role's credentials, after --.")
    var command: [String] = []

    func run() throws {
        let chosen = try exportFormat(format, global, default: .env)
        let seconds = try duration.map { (d) throws(AWSError) in
            try DurationText.seconds(d, option: "--duration", bareUnit: .seconds, within: 1...43_200)
        }
        let workflow = AssumeRoleWorkflow(roleArn: roleArn, externalId: externalId, sessionName: sessionName,
                                          durationSeconds: seconds, mfaSerial: mfaSerial)
        try workflow.validate()
        try Run.session(global, printsOwnBytes: true) { session in
            let result = try workflow.run(session)
            let export = CredentialExport(credentials: result.credentials, region: session.configuredRegion.region?.name)
            if command.isEmpty { return .text(try export.render(chosen)) }
            throw ExecLaunch.replaceProcess(with: command, environment: export.environment(over: session.environment.variables))
        }
    }
}
