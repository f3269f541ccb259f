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

    @Option(name: .customLong("propagation-timeout"), help: "How long to wait for IAM to accept the new key: seconds, or 2m (default 60; at most 1h).")
    var propagationTimeoutText: String = "60"

    var propagationTimeout: Double {
        get throws { Double(try DurationText.seconds(propagationTimeoutText, option: "--propagation-timeout", bareUnit: .seconds, within: 0...3600)) }
    }

    enum KeepOld: String, ExpressibleByArgument { case inactive }

    func run() throws {
        try Run.session(global) { session in
            let rotation = KeyRotation(
                session: session,
                options: RotationOptions(user: user, deleteOtherKey: deleteOtherKey, keepOldInactive: keepOld == .inactive,
                                         dryRun: dryRun, propagationTimeout: try propagationTimeout),
                report: global.reporter)
            let outcome = try rotation.run { plan in
                guard !yes, StandardStream.input.isTerminal, StandardStream.error.isTerminal else { return true }
                StandardStream.error.write(RotationReport.prompt(plan) + "Proceed? [y/N] ")
                let answer = StandardStream.input.readLine()?.trimmingSpaces().lowercased()
                return answer == "y" || answer == "yes"
            }
            switch outcome {
            case .planned(let plan): return .report(RotationReport.plan(plan))
            case .declined: throw RotationError.refused("nothing was changed (not confirmed)")
            case .rotated(let result): return .report(RotationReport.result(result))
            }
        }
    }
}
