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
            credctl replaces itself with the command, as `creds exec` does.

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

    @Option(help: "How long the credentials last: seconds, or with a unit (15m, 1h, 12h); 900 s to 12 h.")
    var duration: String?

    @Option(name: .customLong("mfa-serial"), help: "The MFA device ARN the role requires (the code comes from --mfa-code or a prompt).")
    var mfaSerial: String?

    @Option(help: "process, env, dotenv, json, fish or powershell.")
    var format: CredentialExportFormat = .env

    @Argument(parsing: .postTerminator, help: "A command to run with the role's credentials, after --.")
    var command: [String] = []

    func run() throws {
        try reportingErrors {
            var seconds: Int?
            if let duration {
                guard let s = Self.seconds(duration) else {
                    throw CommandInputError("--duration '\(duration)' is not a duration such as 3600, 15m or 1h")
                }
                seconds = s
            }
            let workflow = AssumeRoleWorkflow(roleArn: roleArn, externalId: externalId, sessionName: sessionName,
                                              durationSeconds: seconds, mfaSerial: mfaSerial)
            try workflow.validate()
            let session = try global.session()
            let result = try workflow.run(session)
            let export = CredentialExport(credentials: result.credentials, region: session.region?.name)
            if command.isEmpty {
                StandardStream.output.write(export.render(format))
            } else {
                try ExecLauncher.replaceProcess(with: command, export: export, environment: session.environment)
            }
        }
    }

    /// `3600`, `3600s`, `15m`, `1h`.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        if let last = text.last, let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }
}
