import ArgumentParser
import AWSCore
import Workflows

extension DoctorProbe: ExpressibleByArgument {
    /// `dynamodb[:TABLE]`, `ssm[:PATH]`, `secrets[:ID]` or `iam-self`.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        let value = parts.count == 2 ? parts[1] : nil
        switch parts.first {
        case "dynamodb": self = .dynamoDB(table: value)
        case "ssm": self = .ssm(path: value ?? "/")
        case "secrets": self = .secrets(id: value)
        case "iam-self" where value == nil: self = .iamSelf
        default: return nil
        }
    }
}

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Explain what is wrong with the credentials, region, endpoint or clock, and how to fix it.",
        discussion: HelpText.reflowed("""
            credctl doctor
            credctl doctor --profile grafana --check dynamodb:metrics \\
                --check ssm:/APP/STAGING

            Checks, in order: the shared files and profile; each credential provider tried and
            what it found, and the precedence rule that applied; the key's shape (AKIA without a
            session token, ASIA with one); the region and where it came from; the endpoint (DNS,
            TLS, proxy); STS GetCallerIdentity (InvalidClientTokenId, SignatureDoesNotMatch,
            ExpiredToken explained); the clock against the server's Date header. --check adds
            the read-only probes of `credctl check` and `dynamodb check`: dynamodb[:TABLE],
            ssm[:PATH], secrets[:ID], iam-self.

            Exit 0 when nothing failed, 1 otherwise. --output json gives the same as data. No
            secret is ever printed (key ids are masked).
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("check"), parsing: .singleValue, help: "Also probe: dynamodb[:TABLE], ssm[:PATH], secrets[:ID], iam-self.")
    var checks: [DoctorProbe] = []

    func run() throws {
        try Run.offline(global) {
            .report(DoctorReport.report(Doctor(settings: global.settings, environment: Environment.current(), probes: checks).run()))
        }
    }
}
