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
        discussion: """
            credctl setup user grafana-dynamodb-user --template dynamodb-read --table metrics --profile-name grafana

            The policy is inline (named credctl-TEMPLATE) unless --managed (a customer managed
            policy credctl-TEMPLATE-USER, attached). The key is written to the credentials file as
            [PROFILE] (atomically, mode 0600, every other byte kept); an existing profile that
            already holds one of the user's keys is kept. Running it again changes only what
            differs. --dry-run prints the plan and the policy and changes nothing.

            \(ExitStatus.helpText)
            """
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
        try reportingErrors {
            let quiet = global.quiet
            let setup = UserSetup(
                session: try global.session(),
                options: UserSetup.Options(user: name, template: template, parameters: templateOptions.parameters,
                                           profileName: profileName ?? name, managed: managed, dryRun: dryRun),
                report: { line in if !quiet { StandardStream.error.write("credctl: \(line)\n") } })
            let report = try setup.run()
            if global.output == .json {
                StandardStream.output.write(JSONValue.object([
                    ("User", .string(name)), ("Profile", .string(profileName ?? name)), ("PolicyName", .string(report.policyName)),
                    ("AccessKeyId", .optional(report.keyId)), ("DryRun", .bool(dryRun)),
                    ("Steps", .array(report.steps.map { .string($0) })), ("Policy", report.policy),
                ]).serialized(pretty: true) + "\n")
            } else if dryRun {
                var text = "Plan for IAM user \(name):\n"
                for (i, step) in report.steps.enumerated() { text += "  \(i + 1). \(step)\n" }
                text += "Policy \(report.policyName):\n" + report.policy.serialized(pretty: true) + "\n"
                StandardStream.output.write(text)
            } else {
                StandardStream.output.write(RecordOutput(
                    fields: [("user", "User", name), ("profile", "Profile", profileName ?? name),
                             ("policy", "Policy", report.policyName), ("key_id", "Key", report.keyId)],
                    json: .null).render(global.output))
            }
        }
    }
}
