import ArgumentParser
import AWSCore
import Workflows

struct RotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace an IAM user's access key wherever it is used, never leaving a place without a working key.",
        discussion: HelpText.reflowed("""
            credctl rotate                          # the key of the credentials in use
            credctl rotate --profile grafana        # the key held by profile grafana
            credctl --profile admin rotate --user grafana-dynamodb-user
            credctl --profile admin rotate --user grafana-reader \\
                --to secretsmanager:grafana/dynamodb --to exec:'./push-to-grafana.sh' \\
                --verify-cmd './grafana-health.sh'

            Destinations (--to, repeatable; default: every profile of the credentials file that
            holds the old key, or the vault entry the credentials in use come from):
              profile:NAME       a profile of the credentials file that holds the key
              vault:PROFILE      an entry of credctl's vault that holds the key
              secretsmanager:ID  a JSON secret: fields AccessKeyId and SecretAccessKey
                                 replaced, every other field kept
                                 (ID?id=FIELD&secret=FIELD to rename them)
              ssm:/PATH          PATH/AWS_ACCESS_KEY_ID (String) and
                                 PATH/AWS_SECRET_ACCESS_KEY (SecureString)
              exec:CMD           CMD run by /bin/sh, the key as JSON on stdin
                                 ({"AccessKeyId","SecretAccessKey","UserName"}, never in
                                 argv or the environment); exit 0 = delivered

            Steps: list the user's keys (at the two-key limit an inactive other key is deleted; an
            active one stops the rotation unless --delete-other-key); create the new key; write it
            to each destination in turn; check it against STS, waiting while IAM propagates it; run
            --verify-cmd (the new key id in CREDCTL_NEW_ACCESS_KEY_ID, the JSON on stdin); then
            deactivate and delete the old key. The old key stays active until all of that passed;
            a failure puts the old key back in every destination written and deletes the new one.

            Each exec: command and the --verify-cmd runs in a process group of its own for at most
            --command-timeout (default 5 minutes); past it the group is ended and the rotation rolled
            back. What they print is shown with every secret credctl knows masked (***).

            A journal (~/.aws/credctl/rotation/, mode 0600, no secret in it) records each step: if
            credctl is stopped at any point, the next `credctl rotate` with the same arguments
            finishes that rotation or undoes it; `credctl rotate --abandon` undoes it without running
            its commands again. Two rotations of one user cannot run at once.
            See rotation.md in share/doc/credctl.

            Exit 1: refused (two-key limit, another rotation running) or undone, nothing lost.
            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user whose key to rotate (default: the user the credentials belong to; required with temporary credentials).")
    var user: String?

    @Flag(name: .customLong("delete-other-key"), help: "At the two-key limit, delete the user's other key even if it is active.")
    var deleteOtherKey = false

    @Option(name: .customLong("keep-old"), help: "'inactive' keeps the old key, deactivated, instead of deleting it.")
    var keepOld: KeepOld?

    @Option(name: .customLong("to"), help: ArgumentHelp("Where the new key goes (repeatable): profile:NAME, vault:PROFILE, secretsmanager:ID, ssm:/PATH, exec:CMD.", valueName: "destination"))
    var destinations: [String] = []

    @Option(name: .customLong("verify-cmd"), help: ArgumentHelp("A command that checks the key's consumer works with the new key (run by /bin/sh; the key as JSON on stdin).", valueName: "command"))
    var verifyCommand: String?

    @Option(name: .customLong("command-timeout"), help: "How long each exec: destination and the --verify-cmd may run before it is ended and the rotation rolled back: seconds, or 2m (default 300; at most 1h).")
    var commandTimeoutText: String = "300"

    var commandTimeout: Double {
        get throws { Double(try DurationText.seconds(commandTimeoutText, option: "--command-timeout", bareUnit: .seconds, within: 1...3600)) }
    }

    @Flag(help: "Undo an interrupted rotation without running its commands again: the old key is put back where credctl can write it, the new key deleted; the exec: destinations are named, not run.")
    var abandon = false

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

    func validate() throws {
        var seen: Set<DestinationSpec> = []
        for text in destinations {
            let spec: DestinationSpec
            do { spec = try DestinationSpec(parsing: text) } catch { throw ValidationError(error.description) }
            guard seen.insert(spec).inserted else { throw ValidationError("--to \(spec) is given twice") }
        }
        if abandon, !destinations.isEmpty || verifyCommand != nil || dryRun || deleteOtherKey || keepOld != nil {
            throw ValidationError("--abandon undoes the interrupted rotation its journal describes: give only --user (and the global options)")
        }
        if let verifyCommand, verifyCommand.trimmingSpaces().isEmpty || verifyCommand.unicodeScalars.contains("\u{0}") {
            throw ValidationError("--verify-cmd needs a command (without NUL bytes)")
        }
    }

    var specs: [DestinationSpec] { destinations.compactMap { try? DestinationSpec(parsing: $0) } }

    func run() throws {
        try Run.session(global) { session in
            let progressLine = ProgressLine(quiet: global.quiet)
            defer { progressLine.finish() }
            let rotation = KeyRotation(
                session: session,
                options: RotationOptions(user: user, deleteOtherKey: deleteOtherKey, keepOldInactive: keepOld == .inactive,
                                         dryRun: dryRun, propagationTimeout: try propagationTimeout, destinations: specs,
                                         verifyCommand: verifyCommand, commandTimeout: try commandTimeout, abandon: abandon),
                report: { line in progressLine.finish(); global.reporter(line) },
                progress: { progressLine.update($0) })
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
            case .abandoned(let abandoned): return .report(RotationReport.abandoned(abandoned))
            }
        }
    }
}
