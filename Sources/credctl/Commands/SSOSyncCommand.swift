import ArgumentParser
import AWSCore
import AWSConfig
import Workflows

struct SSOSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Write a [profile …] into ~/.aws/config for every account and role of an IAM Identity Center session.",
        discussion: HelpText.reflowed("""
            credctl sso sync --sso-session corp --dry-run
            credctl sso sync --profile dev --name-template '{account_id}-{role_name}' \\
                --region eu-west-1

            Lists every account and role (as `sso accounts`) and appends one profile per pair to
            the config file (AWS_CONFIG_FILE, default ~/.aws/config): sso_session (or, for a
            legacy profile, sso_start_url and sso_region), sso_account_id, sso_role_name and
            region (--region, else the session's sso_region). Every existing byte is kept and the
            file is replaced atomically. A profile that already points at the same account, role
            and session is left as it is, whatever its name, so a rerun adds nothing; a name
            already used for something else, or a name or value a shared file cannot hold, is
            skipped and reported while the others are written. --dry-run shows the plan, made by
            the same rules.

            Profile names come from --name-template (default {account_name}.{role_name}), with
            {account_name}, {account_id}, {role_name}, {sso_session} and {email}; characters other
            than letters, digits and - _ . @ + = , / become -.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var ssoSession: SSOSessionOption

    @Option(name: .customLong("name-template"), help: "How profiles are named (default {account_name}.{role_name}).")
    var nameTemplate: String = SSOProfileNameTemplate.defaultText

    @Flag(name: .customLong("dry-run"), help: "Show what would be written; change nothing.")
    var dryRun = false

    func run() throws {
        let template = try SSOProfileNameTemplate(nameTemplate)
        try Run.session(global) { session in
            let target = try SSOTarget.resolve(session, ssoSession: ssoSession.name)
            let state = StatePaths.directory(session.environment)
            let sync = SSOSync(target: target, configPath: session.files.configPath, template: template,
                               region: global.region ?? target.session.region, stateDirectory: state)
            return .report(SSOReport.sync(try sync.run(dryRun: dryRun)))
        }
    }
}
