import ArgumentParser
import AWSCore
import Workflows

struct SSOSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Write a [profile …] into ~/.aws/config for every account and role of an IAM Identity Center session.",
        discussion: """
            credctl sso sync --sso-session corp --dry-run
            credctl sso sync --profile dev --name-template '{account_id}-{role_name}' --region eu-west-1

            Lists every account and role (as `sso accounts`) and appends one profile per pair to
            the config file (AWS_CONFIG_FILE, default ~/.aws/config): sso_session (or, for a
            legacy profile, sso_start_url and sso_region), sso_account_id, sso_role_name and
            region (--region, else the session's sso_region). Every existing byte is kept and the
            file is replaced atomically. A profile that already points at the same account, role
            and session is left as it is, whatever its name, so a rerun adds nothing; a name
            already used for something else is skipped and reported. --dry-run shows the plan.

            Profile names come from --name-template (default {account_name}.{role_name}), with
            {account_name}, {account_id}, {role_name}, {sso_session} and {email}; characters other
            than letters, digits and - _ . @ + = , / become -.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var ssoSession: SSOSessionOption

    @Option(name: .customLong("name-template"), help: "How profiles are named (default {account_name}.{role_name}).")
    var nameTemplate: String = SSOProfileNameTemplate.defaultText

    @Flag(name: .customLong("dry-run"), help: "Show what would be written; change nothing.")
    var dryRun = false

    func run() throws {
        try reportingErrors {
            let template = try SSOProfileNameTemplate(nameTemplate)
            let session = try global.session()
            let target = try SSOTarget.resolve(session, ssoSession: ssoSession.name)
            let state = session.environment.nonEmpty("CREDCTL_STATE_DIR") ?? LocalFile.expandTilde("~/.aws/credctl", session.environment)
            let sync = SSOSync(target: target, configPath: session.files.configPath, template: template,
                               region: global.region ?? target.session.region, stateDirectory: state)
            let report = try sync.run(dryRun: dryRun)
            StandardStream.output.write(Self.output(report, format: global.output))
        }
    }

    static func actionText(_ action: SSOSync.Action, dryRun: Bool) -> String {
        switch action {
        case .add: return dryRun ? "would add" : "added"
        case .exists: return "exists"
        case .coveredBy(let name): return "exists as \(name)"
        case .nameTaken: return "skipped: name in use"
        }
    }

    static func output(_ r: SSOSync.Report, format: OutputFormat) -> String {
        let rows = r.entries.map { [$0.name, $0.account.accountId, $0.account.accountName, $0.role, actionText($0.action, dryRun: r.dryRun)] }
        let json: JSONValue = .object([
            ("ConfigFile", .string(r.configPath)), ("DryRun", .bool(r.dryRun)), ("Written", .bool(r.written)),
            ("SsoSession", .optional(r.session.name)), ("StartUrl", .string(r.session.startURL)),
            ("Profiles", .array(r.entries.map { e in
                var existing: JSONValue = .null
                if case .coveredBy(let name) = e.action { existing = .string(name) }
                return .object([("Name", .string(e.name)), ("AccountId", .string(e.account.accountId)),
                                ("AccountName", .string(e.account.accountName)), ("RoleName", .string(e.role)),
                                ("Action", .string(actionText(e.action, dryRun: r.dryRun))), ("ExistingProfile", existing)])
            })),
        ])
        var text = RowsOutput(columns: ["PROFILE", "ACCOUNT ID", "ACCOUNT NAME", "ROLE", "ACTION"], rows: rows, json: json).render(format)
        if format == .table {
            let added = r.entries.filter { $0.action == .add }.count
            if r.dryRun { text += "\nDry run: \(added) profile(s) would be added to \(r.configPath); nothing was written.\n" }
            else { text += "\n\(added) profile(s) added to \(r.configPath).\n" }
        }
        return text
    }
}
