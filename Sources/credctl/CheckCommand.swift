import ArgumentParser
import AWSCore
import Workflows

/// Prints probe results and exits 1 when any was denied or failed.
func reportProbes(_ results: [ProbeResult], format: OutputFormat) throws {
    StandardStream.output.write(probeRows(results).render(format))
    if results.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.checkFailed.rawValue) }
}

func probeRows(_ results: [ProbeResult]) -> RowsOutput {
    RowsOutput(columns: ["ACTION", "RESULT", "RESOURCE", "DETAIL"],
               rows: results.map { [$0.action, $0.outcome.rawValue, $0.resource, $0.detail] },
               json: .array(results.map(probeJSON)))
}

func probeJSON(_ r: ProbeResult) -> JSONValue {
    .object([("Action", .string(r.action)), ("Result", .string(r.outcome.rawValue)),
             ("Resource", .string(r.resource)), ("Detail", .string(r.detail))])
}

let probeDiscussion = """
    Every probe is read-only. RESULT is allowed, denied (DETAIL names the action to grant and the
    resource), failed (an answer that is not about permission, e.g. a missing table) or skipped
    (not probed, and why). Exit 0 when nothing was denied or failed, 1 otherwise, 3 when the
    credentials themselves are refused.
    """

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Probe whether the credentials may do what a workflow needs (read-only).",
        subcommands: [CheckSSMCommand.self, CheckSecretsCommand.self, CheckIAMSelfCommand.self]
    )
}

struct CheckSSMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssm", abstract: "Parameter Store reads under a path: GetParametersByPath, GetParameter, DescribeParameters.",
        discussion: probeDiscussion)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The parameter path (default /).")
    var path: String = "/"

    func run() throws {
        try reportingErrors {
            try reportProbes(PermissionChecks(session: global.session()).parameterStore(path: path), format: global.output)
        }
    }
}

struct CheckSecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Secrets Manager: ListSecrets, and DescribeSecret and GetSecretValue on --id.",
        discussion: probeDiscussion + " The secret's value is read but never shown.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "A secret to probe.")
    var id: String?

    func run() throws {
        try reportingErrors {
            try reportProbes(PermissionChecks(session: global.session()).secretsManager(id: id), format: global.output)
        }
    }
}

struct CheckIAMSelfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam-self", abstract: "Can these credentials rotate their own key (what credctl rotate needs)?",
        discussion: probeDiscussion + " UpdateAccessKey and DeleteAccessKey are probed on a key id that does not exist; CreateAccessKey is not probed.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            try reportProbes(PermissionChecks(session: global.session()).iamSelf(), format: global.output)
        }
    }
}
