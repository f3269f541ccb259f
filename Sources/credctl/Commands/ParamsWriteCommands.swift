import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct ParamsPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Write a parameter; the value comes from standard input or --value-file, never the command line.",
        discussion: HelpText.reflowed("""
            printf '%s' "$PASSWORD" | credctl params put /APP/STAGING/DB/PASSWORD
            credctl params put /APP/STAGING/TLS/KEY --value-file key.pem --overwrite

            The name, value size (4096 bytes, 8192 with --tier Advanced), type, description and
            tags are checked before any call: exit 2 and nothing is written. One trailing newline
            of the input is dropped unless --keep-trailing-newline. Without --overwrite an
            existing parameter is not replaced (exit 4, ParameterAlreadyExists).

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions
    @OptionGroup var input: ValueInput

    @Argument(help: "The parameter's name, full or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var name: String

    @Option(help: "SecureString, String or StringList (default: SecureString for a new parameter, the existing type with --overwrite).")
    var type: String?

    @Flag(help: "Replace the parameter if it exists (a new version).")
    var overwrite = false

    @Option(help: "A description (at most 1024 characters).")
    var description: String?

    @Option(name: .customLong("key-id"), help: "The KMS key for a SecureString (default: the account's aws/ssm key).")
    var keyId: String?

    @Option(help: "Standard (default), Advanced or Intelligent-Tiering.")
    var tier: String?

    @Option(parsing: .upToNextOption, help: "Tags as key=value (on an existing parameter they are added after the write).")
    var tags: [Tag] = []

    func run() throws {
        let request = PutParameterRequest(name: name, value: "", type: try type.map(parseType) ?? .secureString, overwrite: overwrite,
                                          description: description, keyId: keyId, tier: try tier.map(parseTier), tags: tags)
        try Run.params(global, rootOptions) { params in
            .report(try params.put(request, typeGiven: type != nil) { try input.read(for: params.root.fullName(name)) })
        }
    }
}

struct ParamsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete parameters (ten per call). Exits 4 if any name did not exist, after deleting the rest.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "Parameter names, full or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("give at least one parameter name") }
    }

    func run() throws {
        try Run.params(global, rootOptions) { params in .report(try params.delete(names)) }
    }
}

struct ParamsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write the entries of a .env or JSON file as parameters under a path.",
        discussion: HelpText.reflowed("""
            credctl params import /APP/STAGING/MYSQL mysql.env --dry-run
            credctl params import /APP/STAGING config.json --type String

            KEY=value becomes PATH/KEY; in JSON, nested objects become deeper levels. Every name and
            value is checked, and what exists under the path is read, before anything is written:
            parameters that exist with other values are refused unless --overwrite; those with the
            same value and type are left alone. .env files are read as python-dotenv reads them,
            without ${VAR} expansion.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The path to write under, full or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var path: String

    @Argument(help: "The file: dotenv, or JSON (recognised by a leading '{'); '-' for standard input.")
    var file: String

    @Option(name: .customLong("file-format"), help: "dotenv or json, when the file's content is not enough to tell.")
    var fileFormat: ImportFile.Format?

    @Option(help: "The type of every imported parameter: SecureString (default), String or StringList.")
    var type: String = "SecureString"

    @Flag(help: "Replace parameters that exist with other values.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be written; write nothing.")
    var dryRun = false

    @Option(name: .customLong("key-id"), help: "The KMS key for SecureString parameters.")
    var keyId: String?

    @Option(help: "Standard (default), Advanced or Intelligent-Tiering.")
    var tier: String?

    func run() throws {
        let parsedType = try parseType(type), parsedTier = try tier.map(parseTier)
        try Run.params(global, rootOptions) { params in
            .report(try params.importFile(try InputFile.read(file, label: file), label: file, format: fileFormat, under: path, type: parsedType,
                                          tier: parsedTier, keyId: keyId, overwrite: overwrite, dryRun: dryRun))
        }
    }
}

struct ParamsCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every parameter under one path to another (promote STAGING to PRODUCTION).",
        discussion: HelpText.reflowed("""
            credctl params copy /APP/STAGING /APP/PRODUCTION --dry-run

            Copies the whole tree under SRC (every level), keeping each parameter's type, tier
            (Advanced stays Advanced), KMS key (--key-id replaces it), description and data type, and
            with --tags its tags; what it cannot keep (parameter policies) is listed under NotKept.
            What exists under DST is read first: parameters with other values are refused unless
            --overwrite; those with the same value and type are left alone.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The source path.", completion: NameCompletion.parameters)
    var source: String

    @Argument(help: "The destination path.", completion: NameCompletion.parameters)
    var destination: String

    @Flag(help: "Replace parameters that exist at the destination with other values.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be written; write nothing.")
    var dryRun = false

    @Option(name: .customLong("key-id"), help: "The KMS key for SecureString parameters at the destination (default: each source parameter's own).")
    var keyId: String?

    @Flag(help: "Copy each parameter's tags too (ssm:ListTagsForResource on the source, tags on the destination).")
    var tags = false

    func run() throws {
        try Run.params(global, rootOptions) { params in
            .report(try params.copy(from: source, to: destination, keyId: keyId, overwrite: overwrite, tags: tags, dryRun: dryRun))
        }
    }
}

func parseType(_ text: String) throws(AWSError) -> ParameterType {
    do { return try ParameterType(parsing: text) } catch { throw error.awsError }
}

func parseTier(_ text: String) throws(AWSError) -> ParameterTier {
    do { return try ParameterTier(parsing: text) } catch { throw error.awsError }
}
