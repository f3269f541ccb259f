import ArgumentParser
import AWSCore
import Workflows

struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Set up IAM identities with least-privilege policies.",
        subcommands: [SetupUserCommand.self]
    )
}

struct SetupUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create (or reuse) an IAM user, give it one template policy and a key, and write the key as a profile.",
        discussion: HelpText.reflowed("""
            credctl setup user grafana-dynamodb-user --template dynamodb-read \\
                --table metrics --profile-name grafana

            The policy is inline (named credctl-TEMPLATE) unless --managed (a customer managed
            policy credctl-TEMPLATE-USER, attached). The key is written to the credentials file as
            [PROFILE] (atomically, mode 0600, every other byte kept); an existing profile that
            already holds one of the user's keys is kept. Running it again changes only what
            differs. --dry-run prints the plan and the policy and changes nothing.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The IAM user name.")
    var name: String

    @Option(help: "The policy template (see credctl policy list).")
    var template: PolicyTemplate

    @OptionGroup var templateOptions: TemplateOptions

    @Option(name: .customLong("profile-name"), help: "The profile to write the key to (default: the user name).")
    var profileName: String?

    @Flag(help: "Use a customer managed policy instead of an inline one.")
    var managed = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan and the policy; change nothing.")
    var dryRun = false

    func run() throws {
        try Run.session(global) { session in
            let options = UserSetup.Options(user: name, template: template, parameters: templateOptions.parameters,
                                            profileName: profileName ?? name, managed: managed, dryRun: dryRun)
            let report = try UserSetup(session: session, options: options, report: global.reporter).run()
            return .report(SetupReport.user(report, options: options))
        }
    }
}
