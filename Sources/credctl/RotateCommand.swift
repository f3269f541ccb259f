import ArgumentParser
import AWSCore
import Workflows

struct RotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace an IAM user's access key, never leaving the credentials file without a working key.",
        discussion: """
            credctl rotate                          # the key of the credentials in use
            credctl rotate --profile grafana        # the key held by profile grafana
            credctl --profile admin rotate --user grafana-dynamodb-user

            Steps: list the user's keys (at the two-key limit an inactive other key is deleted; an
            active one stops the rotation unless --delete-other-key); create the new key; write it
            atomically into every profile of the credentials file that held the old key (every
            other byte kept, the previous file kept as FILE.credctl-backup, mode 0600); check it
            against STS, waiting while IAM propagates it; deactivate, then delete, the old key.

            A journal (~/.aws/credctl/rotation/, mode 0600) records each step: if credctl is
            stopped at any point, the next `credctl rotate` finishes that rotation or undoes it.
            Two rotations of one user cannot run at once. See docs/rotation.md.

            Exit 1: refused (two-key limit, another rotation running) or undone, nothing lost.
            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user whose key to rotate (default: the user the credentials belong to; required with temporary credentials).")
    var user: String?

    @Flag(name: .customLong("delete-other-key"), help: "At the two-key limit, delete the user's other key even if it is active.")
    var deleteOtherKey = false

    @Option(name: .customLong("keep-old"), help: "'inactive' keeps the old key, deactivated, instead of deleting it.")
    var keepOld: KeepOld?

    @Flag(name: .customLong("dry-run"), help: "Print the plan; change nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation (only asked on a terminal anyway).")
    var yes = false

    @Option(name: .customLong("propagation-timeout"), help: "Seconds to wait for IAM to accept the new key (default 60).")
    var propagationTimeout: Double = 60

    enum KeepOld: String, ExpressibleByArgument { case inactive }

    func validate() throws {
        guard propagationTimeout >= 0 else { throw ValidationError("--propagation-timeout must be zero or more seconds") }
    }

    func run() throws {
        try reportingErrors {
            let quiet = global.quiet
            let rotation = KeyRotation(
                session: try global.session(),
                options: RotationOptions(user: user, deleteOtherKey: deleteOtherKey, keepOldInactive: keepOld == .inactive,
                                         dryRun: dryRun, propagationTimeout: propagationTimeout),
                report: { line in if !quiet { StandardStream.error.write("credctl: \(line)\n") } })
            let outcome = try rotation.run { plan in
                guard !yes, StandardStream.input.isTerminal, StandardStream.error.isTerminal else { return true }
                StandardStream.error.write(Self.describe(plan) + "Proceed? [y/N] ")
                let answer = StandardStream.input.readLine()?.trimmingSpaces().lowercased()
                return answer == "y" || answer == "yes"
            }
            switch outcome {
            case .planned(let plan):
                StandardStream.output.write(global.output == .json ? Self.json(plan).serialized(pretty: true) + "\n" : Self.describe(plan))
            case .declined:
                StandardStream.error.write("credctl: nothing was changed\n")
                throw ExitCode(ExitStatus.checkFailed.rawValue)
            case .rotated(let result):
                StandardStream.output.write(Self.output(result).render(global.output))
            }
        }
    }

    static func describe(_ plan: RotationPlan) -> String {
        var text = "Rotate access key \(plan.oldKey.id) of IAM user \(plan.user) (account \(plan.account)):\n"
        for (i, step) in plan.steps.enumerated() { text += "  \(i + 1). \(step)\n" }
        return text
    }

    static func json(_ plan: RotationPlan) -> JSONValue {
        .object([
            ("Account", .string(plan.account)), ("User", .string(plan.user)), ("OldKeyId", .string(plan.oldKey.id)),
            ("CredentialsFile", .string(plan.credentialsFile)), ("Profiles", .array(plan.profiles.map { .string($0) })),
            ("DeleteOtherKey", .optional(plan.otherKeyToDelete?.id)), ("KeepOldInactive", .bool(plan.keepOldInactive)),
            ("Steps", .array(plan.steps.map { .string($0) })),
        ])
    }

    static func output(_ r: RotationResult) -> RecordOutput {
        RecordOutput(
            fields: [("user", "User", r.user), ("account", "Account", r.account), ("new_key_id", "New key", r.newKeyId),
                     ("old_key_id", "Old key", "\(r.oldKeyId) (\(r.oldKeyState.rawValue))"),
                     ("profiles", "Profiles", r.profiles.joined(separator: ", ")), ("credentials_file", "File", r.credentialsFile),
                     ("finished_interrupted", "Note", r.finishedInterrupted ? "finished a rotation an earlier run had begun" : nil)],
            json: .object([
                ("User", .string(r.user)), ("Account", .string(r.account)), ("NewKeyId", .string(r.newKeyId)),
                ("OldKeyId", .string(r.oldKeyId)), ("OldKeyState", .string(r.oldKeyState.rawValue)),
                ("Profiles", .array(r.profiles.map { .string($0) })), ("CredentialsFile", .string(r.credentialsFile)),
                ("FinishedInterruptedRotation", .bool(r.finishedInterrupted)),
            ]))
    }
}
