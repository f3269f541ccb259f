import ArgumentParser
import AWSCore
import Workflows

let probeDiscussion = HelpText.reflowed("""
    Every probe is read-only. RESULT is allowed, denied (DETAIL names the action to grant and the
    resource), failed (an answer that is not about permission, e.g. a missing table) or skipped
    (not probed, and why). Exit 0 when nothing was denied or failed, 1 otherwise, 3 when the
    credentials themselves are refused.
    """)

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

    @Option(help: "The parameter path (default /).", completion: NameCompletion.parameters)
    var path: String = "/"

    func run() throws {
        try Run.session(global) { session in .report(ProbeReport.probes(try PermissionChecks(session: session).parameterStore(path: path))) }
    }
}

struct CheckSecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Secrets Manager: ListSecrets, and DescribeSecret and GetSecretValue on --id.",
        discussion: probeDiscussion + " The secret's value is read but never shown.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "A secret to probe.", completion: NameCompletion.secrets)
    var id: String?

    func run() throws {
        try Run.session(global) { session in .report(ProbeReport.probes(try PermissionChecks(session: session).secretsManager(id: id))) }
    }
}

struct CheckIAMSelfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam-self", abstract: "Can these credentials rotate their own key (what credctl rotate needs)?",
        discussion: probeDiscussion + " UpdateAccessKey and DeleteAccessKey are probed on a key id that does not exist; CreateAccessKey is not probed.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.session(global) { session in .report(ProbeReport.probes(try PermissionChecks(session: session).iamSelf())) }
    }
}
