import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Read and write AWS Secrets Manager secrets.",
        discussion: "Values come from standard input or --value-file, never the command line. See docs/secrets.md.",
        subcommands: [SecretsGetCommand.self, SecretsCreateCommand.self, SecretsPutCommand.self, SecretsDescribeCommand.self,
                      SecretsListCommand.self, SecretsDeleteCommand.self, SecretsTagCommand.self]
    )
}

func checkSecretId(_ id: String) throws {
    if let problem = SecretsManagerRules.idProblem(id) { throw CommandInputError(problem) }
}

struct SecretsGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a secret's value and a newline, nothing else; --json-key picks one field of a JSON secret.",
        discussion: """
            DB_PASSWORD=$(credctl secrets get prod/db --json-key password)

            A binary secret (SecretBinary) is written as its raw bytes, without a newline. --output
            json prints the whole record. An unknown secret exits 4; a --json-key the secret does
            not have exits 2, listing the keys it has.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.")
    var id: String

    @Option(name: .customLong("json-key"), help: "Print only this field of a JSON-object secret.")
    var jsonKey: String?

    @Option(name: .customLong("version-stage"), help: "Read this stage (default AWSCURRENT), e.g. AWSPREVIOUS.")
    var versionStage: String?

    @Option(name: .customLong("version-id"), help: "Read this version.")
    var versionId: String?

    func run() throws {
        try reportingErrors {
            try checkSecretId(id)
            let secrets = try global.session().secretsManager()
            let secret = try secrets.getSecretValue(id, versionId: versionId, versionStage: versionStage)
            if global.output == .json {
                let json: JSONValue = .object([
                    ("ARN", .string(secret.arn)), ("Name", .string(secret.name)), ("VersionId", .optional(secret.versionId)),
                    ("VersionStages", .array(secret.versionStages.map { .string($0) })),
                    ("SecretString", .optional(secret.secretString)),
                    ("SecretBinary", .optional(secret.secretBinary.map(Base64.encode))),
                    ("CreatedDate", .optional(secret.created.map(Timestamp.format))),
                ])
                StandardStream.output.write(json.serialized(pretty: true) + "\n")
                return
            }
            if let text = secret.secretString {
                let value = try jsonKey.map { key throws(AWSError) in try SecretJSONKey.value(of: key, in: text, secretName: secret.name) } ?? text
                StandardStream.output.write(value + "\n")
            } else if let bytes = secret.secretBinary {
                if jsonKey != nil { throw CommandInputError("\(secret.name) is a binary secret, so --json-key does not apply") }
                StandardStream.output.write(bytes: bytes)
            }
        }
    }
}

/// The record a write prints.
func secretWriteOutput(_ ref: SecretVersionRef) -> RecordOutput {
    RecordOutput(fields: [("name", "Name", ref.name), ("arn", "ARN", ref.arn), ("version_id", "Version", ref.versionId)],
                 json: .object([("ARN", .string(ref.arn)), ("Name", .string(ref.name)), ("VersionId", .optional(ref.versionId))]))
}

struct SecretsCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a secret; the value comes from standard input or --value-file.",
        discussion: """
            credctl secrets create prod/db --value-file db.json --description "RDS credentials"

            The name, value (at most 65,536 bytes) and tags are checked before any call (exit 2).
            A ClientRequestToken is sent, the same on every retry, so a retried call cannot create
            two versions. One trailing newline of the input is dropped unless --keep-trailing-newline.

            \(ExitStatus.helpText)
            """
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
        try reportingErrors {
            let problems = [SecretsManagerRules.nameProblem(name), description.flatMap(SecretsManagerRules.descriptionProblem)]
                + tags.map(\.problem)
            if let problem = problems.compactMap({ $0 }).first { throw CommandInputError(problem) }
            let session = try global.session()
            let value = try input.read(for: name)
            if let problem = SecretsManagerRules.valueProblem(value) { throw CommandInputError(problem) }
            let ref = try session.secretsManager().createSecret(
                CreateSecretRequest(name: name, secretString: value, description: description, kmsKeyId: kmsKeyId, tags: tags))
            StandardStream.output.write(secretWriteOutput(ref).render(global.output))
        }
    }
}

struct SecretsPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Store a new value (the new AWSCURRENT version); from standard input or --value-file.",
        discussion: """
            printf '%s' "$NEW_PASSWORD" | credctl secrets put prod/db-password

            The previous value stays readable as AWSPREVIOUS. A ClientRequestToken makes a retried
            call a no-op rather than a second version.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ValueInput

    @Argument(help: "The secret's name or ARN.")
    var id: String

    func run() throws {
        try reportingErrors {
            try checkSecretId(id)
            let session = try global.session()
            let value = try input.read(for: id)
            if let problem = SecretsManagerRules.valueProblem(value) { throw CommandInputError(problem) }
            let ref = try session.secretsManager().putSecretValue(id, secretString: value)
            StandardStream.output.write(secretWriteOutput(ref).render(global.output))
        }
    }
}

struct SecretsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "A secret's metadata: ARN, description, dates, versions and stages, tags, rotation (no value).",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The secret's name or ARN.")
    var id: String

    func run() throws {
        try reportingErrors {
            try checkSecretId(id)
            let d = try global.session().secretsManager().describeSecret(id)
            let json = SecretMetadataJSON.object(d)
            let date = { (t: Int?) in t.map(Timestamp.format) }
            var fields: [(key: String, label: String, value: String?)] = [
                ("name", "Name", d.name), ("arn", "ARN", d.arn),
                ("description", "Description", d.description), ("kms_key_id", "KMS key", d.kmsKeyId),
                ("created", "Created", date(d.created)), ("last_changed", "Last changed", date(d.lastChanged)),
                ("last_accessed", "Last accessed", date(d.lastAccessed)), ("deleted", "Deletion date", date(d.deletionDate)),
                ("rotation", "Rotation", d.rotationEnabled ? "enabled" : "off"),
                ("tags", "Tags", d.tags.isEmpty ? nil : d.tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ")),
            ]
            fields += d.versions.enumerated().map { i, v in ("version_\(i + 1)", i == 0 ? "Versions" : "", "\(v.id) \(v.stages.joined(separator: ","))") }
            StandardStream.output.write(RecordOutput(fields: fields, json: json).render(global.output))
        }
    }
}

struct SecretsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List secrets (names, descriptions, dates; no values), every page.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("name-prefix"), help: "Only secrets whose names start with this.")
    var namePrefix: String?

    func run() throws {
        try reportingErrors {
            let entries = try global.session().secretsManager().listAllSecrets(namePrefix: namePrefix)
            let rows = entries.map { e in [e.name, e.lastChanged.map(Timestamp.format) ?? "", e.description ?? ""] }
            StandardStream.output.write(RowsOutput(columns: ["Name", "LastChanged", "Description"], rows: rows,
                                                   json: .array(entries.map(SecretMetadataJSON.object))).render(global.output))
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

    @Argument(help: "The secret's name or ARN.")
    var id: String

    @Option(name: .customLong("recovery-window-days"), help: "Days until deletion, 7 to 30 (default 30); restorable until then.")
    var recoveryWindowDays: Int?

    @Flag(name: .customLong("force-without-recovery"), help: "Delete now, with no recovery window.")
    var forceWithoutRecovery = false

    func validate() throws {
        if recoveryWindowDays != nil, forceWithoutRecovery {
            throw ValidationError("give --recovery-window-days or --force-without-recovery, not both")
        }
        if let days = recoveryWindowDays, let problem = SecretsManagerRules.recoveryWindowProblem(days) { throw ValidationError(problem) }
    }

    func run() throws {
        try reportingErrors {
            try checkSecretId(id)
            let result = try global.session().secretsManager().deleteSecret(id, recoveryWindowDays: recoveryWindowDays, force: forceWithoutRecovery)
            let date = result.deletionDate.map(Timestamp.format)
            StandardStream.output.write(RecordOutput(
                fields: [("name", "Name", result.ref.name), ("arn", "ARN", result.ref.arn), ("deletion_date", "Deletion date", date)],
                json: .object([("ARN", .string(result.ref.arn)), ("Name", .string(result.ref.name)), ("DeletionDate", .optional(date))])
            ).render(global.output))
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

    @Argument(help: "The secret's name or ARN.")
    var id: String

    @Argument(help: "Tags as key=value.")
    var tags: [Tag] = []

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag as key=value") }
        if let problem = tags.compactMap(\.problem).first { throw ValidationError(problem) }
    }

    func run() throws {
        try reportingErrors {
            try checkSecretId(id)
            try global.session().secretsManager().tagResource(id, tags: tags)
            StandardStream.output.write(RecordOutput(fields: [("tagged", "Tagged", id), ("tags", "Tags", tags.map { "\($0.key)=\($0.value)" }.joined(separator: " "))],
                                                     json: .object([("SecretId", .string(id)), ("Tags", .array(tags.map(\.json)))]))
                .render(global.output))
        }
    }
}

enum SecretMetadataJSON {
    static func object(_ d: SecretMetadata) -> JSONValue {
        .object([("Name", .string(d.name)), ("ARN", .string(d.arn)), ("Description", .optional(d.description)),
                 ("KmsKeyId", .optional(d.kmsKeyId)), ("CreatedDate", .optional(d.created.map(Timestamp.format))),
                 ("LastChangedDate", .optional(d.lastChanged.map(Timestamp.format))),
                 ("LastAccessedDate", .optional(d.lastAccessed.map(Timestamp.format))),
                 ("DeletedDate", .optional(d.deletionDate.map(Timestamp.format))), ("RotationEnabled", .bool(d.rotationEnabled)),
                 ("Tags", .array(d.tags.map(\.json))),
                 ("VersionIdsToStages", .object(d.versions.map { ($0.id, .array($0.stages.map { .string($0) })) }))])
    }
}
