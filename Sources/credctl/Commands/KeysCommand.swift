import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, audit and validate IAM access keys; inspect a key id offline.",
        discussion: "See rotation.md in share/doc/credctl.",
        subcommands: [KeysListCommand.self, KeysAuditCommand.self, KeysValidateCommand.self, KeysInspectCommand.self]
    )
}

/// A key age as typed: `90d`, `36h`, `45m`, or a bare number of days.
func ageSeconds(_ text: String, option: String) throws(AWSError) -> Int {
    try DurationText.seconds(text, option: option, bareUnit: .days, within: 0...(100 * 365 * 86_400))
}

struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "A user's access keys: id, status, age, last used (date, service, region).",
        discussion: "Needs iam:ListAccessKeys and iam:GetAccessKeyLastUsed.\n\n\(ExitStatus.helpText)"
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user (default: the user the credentials belong to).")
    var user: String?

    func run() throws {
        try Run.session(global) { session in .report(try KeyListing(session: session).list(user: user)) }
    }
}

struct KeysAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Find active keys that are too old or unused; exit 1 when there are any (for CI).",
        discussion: HelpText.reflowed("""
            credctl keys audit --all-users --max-age 90d --unused 30d --output json
            credctl keys audit --org --max-age 90d --unused 30d --output csv > keys.csv

            --org audits every account of the organisation (see rotation.md in share/doc/credctl).
            A key never used counts as unused from the day it was created. Inactive keys are
            listed but never findings. Ages: 90d, 36h, or a number of days.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user (default: the user the credentials belong to).")
    var user: String?

    @Flag(name: .customLong("all-users"), help: "Every IAM user of the account (needs iam:ListUsers).")
    var allUsers = false

    @Option(name: .customLong("max-age"), help: "Active keys older than this are findings: 90d, 36h, or days (default 90d).")
    var maxAge: String = "90d"

    @Option(help: "Active keys not used for this long are findings: 30d, 36h, or days (default: not checked).")
    var unused: String?

    @OptionGroup var org: OrgAuditOptions

    func validate() throws {
        if allUsers, user != nil { throw ValidationError("give --user or --all-users, not both") }
        if org.org, allUsers || user != nil { throw ValidationError("--org audits every user of every account: leave out --user and --all-users") }
    }

    func run() throws {
        let limits = AuditLimits(maxAge: try ageSeconds(maxAge, option: "--max-age"),
                                 unused: try unused.map { (u) throws(AWSError) in try ageSeconds(u, option: "--unused") })
        if org.org { return try org.run(global: global, limits: limits) }
        let progress = ProgressLine(quiet: global.quiet)
        try Run.session(global) { session in
            defer { progress.finish() }
            return .report(try KeyListing(session: session).audit(user: user, allUsers: allUsers, limits: limits) { progress.update($0) })
        }
    }
}

struct KeysValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "A CI gate: the resolved (or --key-id) key is well-formed, long-term if required, works, active and young enough.",
        discussion: HelpText.reflowed("""
            credctl keys validate --require long-term --max-age 90d

            Prints one line saying why it passed or failed. Exit 0 pass, 1 fail, 3 no credentials
            or credentials AWS refuses. --key-id checks a key by its id alone (looked up with the
            resolved credentials: status and age, not a call with the key itself).
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "'long-term' requires an AKIA key of an IAM user.")
    var require: Requirement?

    @Option(name: .customLong("max-age"), help: "Fail when the key is older than this: 90d, 36h, or days.")
    var maxAge: String?

    @Option(name: .customLong("key-id"), help: "Check this key id instead of the resolved credentials' key.")
    var keyId: String?

    enum Requirement: String, ExpressibleByArgument { case longTerm = "long-term" }

    func run() throws {
        let age = try maxAge.map { (a) throws(AWSError) in try ageSeconds(a, option: "--max-age") }
        try Run.session(global) { session in
            let verdict = try KeyValidation(session: session, options: KeyValidation.Options(
                requireLongTerm: require == .longTerm, maxAge: age, keyId: keyId)).run()
            // No usable credentials is not a failed check: the verdict is printed, and the exit is 3, as everywhere.
            if verdict.status == .credentials { return .reportThenExit(KeysReport.validation(verdict), .credentials) }
            return .report(KeysReport.validation(verdict))
        }
    }
}

struct KeysInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Offline: what a key id's prefix means and the account id encoded in it.",
        discussion: HelpText.reflowed("""
            credctl keys inspect ASIAY34FZKBOKMUTVV7A

            No call is made. Key ids made since about 2019 (fifth character Q–Z or 2–7) encode
            the account; older ones (AKIAI…, AKIAJ…) do not. `aws sts get-access-key-info` answers
            the same online.
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An access key id (AKIA…, ASIA…) or IAM unique id (AIDA…, AROA…).")
    var keyId: String

    func run() throws {
        try Run.offline(global) {
            let inspection = KeyIdInspection(keyId)
            if let problem = inspection.problem { throw CommandInputError(problem) }
            return .report(KeysReport.inspection(inspection))
        }
    }
}
