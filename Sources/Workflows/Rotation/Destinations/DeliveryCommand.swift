import AWSCore

/// A command of the user's, run by `/bin/sh -c` with a key as JSON on its standard input
/// (`{"AccessKeyId", "SecretAccessKey", "UserName"}`) — never in its arguments or environment.
/// It runs in a process group of its own within the rotation's time limit (`--command-timeout`):
/// past it the group is ended and the command counts as failed. The last lines it prints go to
/// the rotation's progress lines, control characters escaped and every secret the run knows
/// masked; exit 0 means it did its job. Its errors do not name it: the caller says which
/// command it was.
struct DeliveryCommand: Sendable {
    let command: String
    let environment: Environment
    let report: @Sendable (String) -> Void
    let timeout: Double
    /// The secrets of the run, masked in what the command prints.
    let mask: SecretMask

    /// What the command is called in messages: `exec:./update.sh` or `--verify-cmd`.
    let label: String

    /// The last 64 KB of its output are kept (and shown, line by line).
    static let outputKept = 65536

    func run(_ key: AccessKeyPair, user: String, extraVariables: [String: String] = [:]) throws(AWSError) {
        var variables = environment.variables
        for (name, value) in extraVariables { variables[name] = value }
        mask.add(key.secret)
        let limits = Subprocess.Limits(timeout: timeout, outputBytes: Self.outputKept, keep: .last, ownProcessGroup: true)
        let result: Subprocess.Result
        do { result = try Subprocess.run(["/bin/sh", "-c", command], environment: variables, input: key.json(user: user), limits: limits) } catch {
            throw error.awsError
        }
        let output = mask.apply(String(decoding: result.standardOutput + result.standardError, as: UTF8.self))
        let lines = output.split(whereSeparator: \.isNewline).map(String.init)
        if result.outputExceeded { report("\(label): (only its last lines are shown)") }
        for line in lines { report("\(label): \(PrintableText.escaped(line))") }
        if result.timedOut {
            throw .configuration(ConfigurationError("did not finish within \(Self.seconds(timeout)) (--command-timeout) and was ended"))
        }
        guard result.status == 0 else {
            let last = lines.last.map { ": \(PrintableText.escaped(String($0.prefix(200))))" } ?? ""
            throw .configuration(ConfigurationError("exited with status \(result.status)\(last)"))
        }
    }

    /// `300 s`, `1.5 s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// `exec:CMD`: a consumer credctl cannot read (a Kubernetes secret, a Grafana data source, a
/// password manager's record), updated by the user's command. The command should be safe to
/// run twice with the same key: after a kill it is run again. A restore runs it with the old key.
struct CommandDestination: KeyDestination {
    let command: DeliveryCommand

    var spec: DestinationSpec { .command(command.command) }
    var isReadable: Bool { false }

    func holding() throws(AWSError) -> DestinationHolding { .unknown }

    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError) {}

    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError) {
        try command.run(key, user: user)
    }

    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError) {
        guard let old else {
            throw .configuration(ConfigurationError("the old key's secret is not known, so \(spec) cannot be run with it"))
        }
        try command.run(old, user: user)
    }

    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair? { nil }
}
