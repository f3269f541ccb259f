import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Read and write AWS Secrets Manager secrets.",
        discussion: "Values come from standard input or --value-file, never the command line. See secrets.md in share/doc/credctl.",
        subcommands: [SecretsGetCommand.self, SecretsCreateCommand.self, SecretsPutCommand.self, SecretsDescribeCommand.self,
                      SecretsListCommand.self, SecretsDeleteCommand.self, SecretsTagCommand.self]
    )
}

struct SecretsGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a secret's value and a newline, nothing else; --json-key picks one field of a JSON secret.",
        discussion: HelpText.reflowed("""
            DB_PASSWORD=$(credctl secrets get prod/db --json-key password)

            A binary secret (SecretBinary) is written as its raw bytes, without a newline. --output
            json prints the whole record (other --output formats do not apply). An unknown secret exits 4; a --json-key the secret does
            not have exits 2, listing the keys it has.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.", completion: NameCompletion.secrets)
    var id: String

    @Option(name: .customLong("json-key"), help: "Print only this field of a JSON-object secret.")
    var jsonKey: String?

    @Option(name: .customLong("version-stage"), help: "Read this stage (default AWSCURRENT), e.g. AWSPREVIOUS.")
    var versionStage: String?

    @Option(name: .customLong("version-id"), help: "Read this version.")
    var versionId: String?

    func run() throws {
        try Run.refuse(global, unless: [.json], "secrets get prints the bare value; --output json gives the whole record")
        try Run.session(global, printsOwnBytes: true) { session in
            let got = try SecretsWorkflow(session: session).get(id, jsonKey: jsonKey, versionId: versionId, versionStage: versionStage)
            // The record only for an explicit --output json (not a default of json), as params get.
            return .bytes(got.value, json: global.wantsJSON ? got.report : nil)
        }
    }
}

struct SecretsCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a secret; the value comes from standard input or --value-file.",
        discussion: HelpText.reflowed("""
            credctl secrets create prod/db --value-file db.json --description "RDS login"

            The name, value (at most 65,536 bytes) and tags are checked before any call (exit 2).
            A ClientRequestToken is sent, the same on every retry, so a retried call cannot create
            two versions. One trailing newline of the input is dropped unless --keep-trailing-newline.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ValueInput

    @Argument(help: "The new secret's name.")
    var name: String

    @Option(help: "A description.")
    var description: String?

    @Option(name: .customLong("kms-key-id"), help: "The KMS key (default: the account's aws/secretsmanager key).")
    var kmsKeyId: String?

    @Option(parsing: .upToNextOption, help: "Tags as key=value.")
    var tags: [Tag] = []

    func run() throws {
        try Run.session(global) { session in
            .report(try SecretsWorkflow(session: session).create(name, description: description, kmsKeyId: kmsKeyId, tags: tags) {
                try input.read(for: name)
            })
        }
    }
}

struct SecretsPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Store a new value (the new AWSCURRENT version); from standard input or --value-file.",
        discussion: HelpText.reflowed("""
            printf '%s' "$NEW_PASSWORD" | credctl secrets put prod/db-password

            The previous value stays readable as AWSPREVIOUS. A ClientRequestToken makes a retried
            call a no-op rather than a second version.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ValueInput

    @Argument(help: "The secret's name or ARN.", completion: NameCompletion.secrets)
    var id: String

    func run() throws {
        try Run.session(global) { session in .report(try SecretsWorkflow(session: session).put(id) { try input.read(for: id) }) }
    }
}

struct SecretsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "A secret's metadata: ARN, description, dates, versions and stages, tags, rotation (no value).",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.", completion: NameCompletion.secrets)
    var id: String

    func run() throws {
        try Run.session(global) { session in .report(try SecretsWorkflow(session: session).describe(id)) }
    }
}

struct SecretsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List secrets (names, descriptions, dates; no values), every page.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("name-prefix"), help: "Only secrets whose names start with this.", completion: NameCompletion.secrets)
    var namePrefix: String?

    func run() throws {
        let progress = ProgressLine(quiet: global.quiet)
        try Run.session(global) { session in
            defer { progress.finish() }
            return .report(try SecretsWorkflow(session: session, progress: { progress.update($0) }).list(namePrefix: namePrefix))
        }
    }
}

struct SecretsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Schedule a secret's deletion (default recovery window 30 days) or delete it at once.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.", completion: NameCompletion.secrets)
    var id: String

    @Option(name: .customLong("recovery-window-days"), help: "Days until deletion, 7 to 30 (default 30); restorable until then.")
    var recoveryWindowDays: Int?

    @Flag(name: .customLong("force-without-recovery"), help: "Delete now, with no recovery window.")
    var forceWithoutRecovery = false

    func validate() throws {
        if recoveryWindowDays != nil, forceWithoutRecovery {
            throw ValidationError("give --recovery-window-days or --force-without-recovery, not both")
        }
    }

    func run() throws {
        try Run.session(global) { session in
            .report(try SecretsWorkflow(session: session).delete(id, recoveryWindowDays: recoveryWindowDays, force: forceWithoutRecovery))
        }
    }
}

struct SecretsTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add or replace tags on a secret.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.", completion: NameCompletion.secrets)
    var id: String

    @Argument(help: "Tags as key=value.")
    var tags: [Tag] = []

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag as key=value") }
    }

    func run() throws {
        try Run.session(global) { session in .report(try SecretsWorkflow(session: session).tag(id, tags: tags)) }
    }
}

