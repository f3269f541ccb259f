import ArgumentParser
import AWSClients
import AWSCore
import Workflows

extension ParameterExportFormat: ExpressibleByArgument {}
extension ImportFile.Format: ExpressibleByArgument {}

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "Read and write SSM Parameter Store hierarchies: get, export, exec, put, import, copy.",
        discussion: """
            Names starting with / are used as they are. Relative names live under a root:
            --prefix /ELASMETRICS --env STAGING (or CREDCTL_PARAMS_PREFIX and CREDCTL_PARAMS_ENV)
            make MYSQL/PASSWORD stand for /ELASMETRICS/STAGING/MYSQL/PASSWORD.
            SecureString values are decrypted. Values are never taken from the command line.
            See docs/params.md.
            """,
        subcommands: [ParamsGetCommand.self, ParamsGetPathCommand.self, ParamsPutCommand.self, ParamsDeleteCommand.self,
                      ParamsListCommand.self, ParamsHistoryCommand.self, ParamsExportCommand.self, ParamsExecCommand.self,
                      ParamsImportCommand.self, ParamsCopyCommand.self]
    )
}

/// `--prefix` and `--env`: the root that relative names are under.
struct ParameterRootOptions: ParsableArguments {
    @Option(help: "The root of relative names, e.g. /ELASMETRICS (also CREDCTL_PARAMS_PREFIX).")
    var prefix: String?

    @Option(help: "The environment level under the prefix, e.g. STAGING (also CREDCTL_PARAMS_ENV).")
    var env: String?

    func root(_ session: AWSSession) -> ParameterRoot {
        ParameterRoot.resolve(prefix: prefix, env: env, environment: session.environment)
    }
}

/// The session, the root and a Parameter Store with a progress line, as every `params` command starts.
struct ParamsContext {
    let session: AWSSession
    let root: ParameterRoot
    let progress: ProgressLine

    init(_ global: GlobalOptions, _ rootOptions: ParameterRootOptions) throws {
        session = try global.session()
        root = rootOptions.root(session)
        progress = ProgressLine(quiet: global.quiet)
    }

    func store() throws(AWSError) -> ParameterStore {
        let progress = self.progress
        return ParameterStore(ssm: try session.ssm(), progress: { progress.update($0) })
    }
}

enum ParameterJSON {
    static func record(_ p: Parameter) -> JSONValue {
        .object([("Name", .string(p.name)), ("Type", .string(p.type.rawValue)), ("Value", .string(p.value)), ("Version", .number(p.version)),
                 ("LastModifiedDate", .optional(p.lastModified.map(Timestamp.format))), ("ARN", .optional(p.arn)),
                 ("DataType", .optional(p.dataType)), ("Selector", .optional(p.selector))])
    }
}

struct ParamsGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print one parameter's value (SecureString decrypted) and a newline, nothing else.",
        discussion: """
            PASSWORD=$(credctl params get /APP/STAGING/DB/PASSWORD)
            credctl params get DB/PASSWORD --prefix /APP --env STAGING --output json

            --output json prints the whole record. A name that does not exist exits 4.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The parameter's name, full (/A/B/C) or relative to --prefix/--env.")
    var name: String

    @Option(help: "Read this version.")
    var version: Int?

    @Option(help: "Read the version with this label.")
    var label: String?

    func validate() throws {
        if version != nil, label != nil { throw ValidationError("give --version or --label, not both") }
    }

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let parameter = try context.store().get(context.root.fullName(name), version: version, label: label)
            if global.output == .json {
                StandardStream.output.write(ParameterJSON.record(parameter).serialized(pretty: true) + "\n")
            } else {
                StandardStream.output.write(parameter.value + "\n")
            }
        }
    }
}

struct ParamsGetPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-path",
        abstract: "Print every parameter under a path, with names relative to it.",
        discussion: """
            credctl params get-path /APP/STAGING --recursive
            credctl params get-path /APP/STAGING --recursive --output json    # {"DB/PASSWORD": "…", …}

            Table and text output write control characters in values as \\n, \\t, …, to keep one
            parameter per line; --output json and `params export` give values exactly.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The path, full (/A/B) or relative to --prefix/--env ('.' for the root itself).")
    var path: String

    @Flag(help: "Include every level below the path, not just the one under it.")
    var recursive = false

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let fullPath = context.root.fullPath(path)
            let parameters = try context.store().read(paths: [fullPath], recursive: recursive)[0]
            context.progress.finish()
            let named = parameters.map { (ParameterRoot.relativeName($0.name, under: fullPath), $0.value) }
            let output = RowsOutput(columns: ["Name", "Value"], rows: named.map { [$0.0, $0.1] },
                                    json: .object(named.map { ($0.0, .string($0.1)) }))
            StandardStream.output.write(output.render(global.output))
        }
    }
}

struct ParamsPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Write a parameter; the value comes from standard input or --value-file, never the command line.",
        discussion: """
            printf '%s' "$PASSWORD" | credctl params put /APP/STAGING/DB/PASSWORD
            credctl params put /APP/STAGING/TLS/KEY --value-file key.pem --overwrite

            The name, value size (4096 bytes, 8192 with --tier Advanced), type, description and
            tags are checked before any call: exit 2 and nothing is written. One trailing newline
            of the input is dropped unless --keep-trailing-newline. Without --overwrite an
            existing parameter is not replaced (exit 4, ParameterAlreadyExists).

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions
    @OptionGroup var input: ValueInput

    @Argument(help: "The parameter's name, full or relative to --prefix/--env.")
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
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let fullName = context.root.fullName(name)
            let parsedType = try type.map { (t) throws(AWSError) in try parseType(t) }
            let parsedTier = try tier.map { (t) throws(AWSError) in try parseTier(t) }
            var request = PutParameterRequest(name: fullName, value: "-", type: parsedType ?? .secureString, overwrite: overwrite,
                                              description: description, keyId: keyId, tier: parsedTier, tags: tags)
            try ParameterStore.check(request)
            request.value = try input.read(for: fullName)
            try ParameterStore.check(request)
            let store = try context.store()
            if type == nil, overwrite { request.type = try store.existingType(of: fullName) ?? request.type }
            let version = try store.put(request)
            let output = RecordOutput(fields: [("name", "Name", fullName), ("version", "Version", String(version)), ("type", "Type", request.type.rawValue)],
                                      json: .object([("Name", .string(fullName)), ("Version", .number(version)), ("Type", .string(request.type.rawValue))]))
            StandardStream.output.write(output.render(global.output))
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

    @Argument(help: "Parameter names, full or relative to --prefix/--env.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("give at least one parameter name") }
    }

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let full = names.map(context.root.fullName)
            let result = try context.store().delete(full)
            let output = RecordOutput(fields: [("deleted", "Deleted", result.deleted.joined(separator: " ")),
                                               ("not_found", "Not found", result.missing.isEmpty ? nil : result.missing.joined(separator: " "))],
                                      json: .object([("Deleted", .array(result.deleted.map { .string($0) })),
                                                     ("NotFound", .array(result.missing.map { .string($0) }))]))
            StandardStream.output.write(output.render(global.output))
            if !result.missing.isEmpty {
                StandardStream.error.write("credctl: error: not found: \(result.missing.joined(separator: ", "))\n")
                throw ExitCode(ExitStatus.serviceRefused.rawValue)
            }
        }
    }
}

struct ParamsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List parameters (names, types, versions, dates; no values), under a path when given.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "Only parameters under this path (full or relative to --prefix/--env).")
    var path: String?

    @Flag(help: "Include every level below the path.")
    var recursive = false

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let fullPath = path.map(context.root.fullPath) ?? context.root.path
            let items = try context.store().list(path: fullPath, recursive: recursive)
            let date = { (t: Int?) in t.map(Timestamp.format) ?? "" }
            let output = RowsOutput(
                columns: ["Name", "Type", "Version", "LastModified", "Description"],
                rows: items.map { [$0.name, $0.type.rawValue, String($0.version), date($0.lastModified), $0.description ?? ""] },
                json: .array(items.map { m in
                    .object([("Name", .string(m.name)), ("Type", .string(m.type.rawValue)), ("Version", .number(m.version)),
                             ("LastModifiedDate", .optional(m.lastModified.map(Timestamp.format))),
                             ("LastModifiedUser", .optional(m.lastModifiedUser)), ("Description", .optional(m.description)),
                             ("KeyId", .optional(m.keyId)), ("Tier", .optional(m.tier?.rawValue))])
                }))
            StandardStream.output.write(output.render(global.output))
        }
    }
}

struct ParamsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A parameter's versions: dates, users, labels; values only with --values.",
        discussion: ExitStatus.helpText
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The parameter's name, full or relative to --prefix/--env.")
    var name: String

    @Flag(help: "Show each version's value (SecureString decrypted).")
    var values = false

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let versions = try context.store().history(context.root.fullName(name), values: values)
            var columns = ["Version", "Type", "LastModified", "User", "Labels"]
            if values { columns.append("Value") }
            let output = RowsOutput(
                columns: columns,
                rows: versions.map { v in
                    [String(v.version), v.type.rawValue, v.lastModified.map(Timestamp.format) ?? "", v.lastModifiedUser ?? "",
                     v.labels.joined(separator: ",")] + (values ? [v.value ?? ""] : [])
                },
                json: .array(versions.map { v in
                    var members: [(String, JSONValue)] = [
                        ("Version", .number(v.version)), ("Type", .string(v.type.rawValue)),
                        ("LastModifiedDate", .optional(v.lastModified.map(Timestamp.format))),
                        ("LastModifiedUser", .optional(v.lastModifiedUser)), ("Description", .optional(v.description)),
                        ("Labels", .array(v.labels.map { .string($0) })),
                    ]
                    if values { members.append(("Value", .optional(v.value))) }
                    return .object(members)
                }))
            StandardStream.output.write(output.render(global.output))
        }
    }
}

/// Reads paths concurrently into variables; a path with no parameters is an error (exit 4), so
/// that a typo never runs a program with an empty configuration.
struct ParameterVariablesReader {
    let context: ParamsContext
    let paths: [String]
    let recursive: Bool

    func read() throws -> ParameterVariables {
        let full = paths.map(context.root.fullPath)
        let results = try context.store().read(paths: full, recursive: recursive)
        context.progress.finish()
        var variables = ParameterVariables()
        for (path, parameters) in zip(full, results) {
            if parameters.isEmpty {
                let hint = recursive ? "" : " (only the level directly under it was read; add --recursive for deeper ones)"
                StandardStream.error.write("credctl: error: no parameters under \(path)\(hint)\n")
                throw ExitCode(ExitStatus.serviceRefused.rawValue)
            }
            try variables.add(parameters, from: path)
        }
        return variables
    }
}

struct ParamsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the parameters under one or more paths as dotenv, env, json or yaml.",
        discussion: """
            credctl params export /ELASMETRICS/STAGING/MYSQL > .env        # PASSWORD='…', USER='…'
            eval "$(credctl params export /APP/STAGING --recursive --format env)"

            Variable names: the name relative to the path, with / . - as _ and letters upper-cased
            (/APP/STAGING/MYSQL/PASSWORD under /APP/STAGING is MYSQL_PASSWORD). Two parameters of
            one path with the same variable name are an error; a later path's variable replaces an
            earlier path's. Paths are read concurrently. Values are quoted so that shells and
            python-dotenv read them back exactly (spaces, =, #, quotes, newlines). A path with no
            parameters exits 4.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "Paths, full or relative to --prefix/--env.")
    var paths: [String]

    @Flag(help: "Include every level below each path.")
    var recursive = false

    @Option(help: "dotenv (default), env, json or yaml.")
    var format: ParameterExportFormat = .dotenv

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one path") }
    }

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let variables = try ParameterVariablesReader(context: context, paths: paths, recursive: recursive).read()
            StandardStream.output.write(variables.render(format))
        }
    }
}

struct ParamsExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the parameters under one or more paths in its environment.",
        discussion: """
            credctl params exec /APP/STAGING/MYSQL /APP/STAGING/APP -- ./server

            Variables are named as by `params export`; later paths override earlier ones, and both
            override the inherited environment. credctl replaces itself with the command, so the
            exit status is the command's own; 127 when it cannot be started.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    /// The paths, then (after `--`) the command. swift-argument-parser does not allow a second
    /// positional array after the first, but it appends the words after `--` to this one, so
    /// the command is the last as many words as follow the first `--` of the process's arguments.
    @Argument(help: ArgumentHelp("Paths, full or relative to --prefix/--env; then -- and the command with its arguments.", valueName: "path... -- command"))
    var words: [String] = []

    @Flag(help: "Include every level below each path.")
    var recursive = false

    var split: (paths: [String], command: [String]) {
        let raw = CommandLine.arguments
        guard let terminator = raw.firstIndex(of: "--") else { return (words, []) }
        let count = min(raw.count - terminator - 1, words.count)
        return (Array(words.dropLast(count)), Array(words.suffix(count)))
    }

    func validate() throws {
        if split.paths.isEmpty { throw ValidationError("give at least one path before --") }
        if split.command.isEmpty { throw ValidationError("give the command to run after --, as in: credctl params exec /APP/STAGING -- ./server") }
    }

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let (paths, command) = split
            let variables = try ParameterVariablesReader(context: context, paths: paths, recursive: recursive).read()
            var environment = context.session.environment.variables
            for v in variables.variables { environment[v.name] = v.value }
            let failure = Subprocess.replaceProcess(command, environment: environment)
            StandardStream.error.write("credctl: error: \(failure)\n")
            throw ExitCode(127)
        }
    }
}

/// The plan of an import or copy, printed for `--dry-run` and as the summary afterwards.
enum TransferReport {
    static func render(_ plan: ParameterTransfer, outcomes: [ParameterTransfer.Outcome]?, format: OutputFormat) -> String {
        let failed = Dictionary((outcomes ?? []).compactMap { o in o.error.map { (o.item.name, $0) } }, uniquingKeysWith: { a, _ in a })
        func status(_ item: ParameterTransfer.Item) -> String {
            if let e = failed[item.name] { return "failed: \(e)" }
            if outcomes == nil, item.action != .unchanged, item.action != .conflict { return "would \(item.action.rawValue)" }
            return item.action.rawValue
        }
        let output = RowsOutput(columns: ["Name", "Type", "Action"], rows: plan.items.map { [$0.name, $0.type.rawValue, status($0)] },
                                json: .array(plan.items.map { .object([("Name", .string($0.name)), ("Type", .string($0.type.rawValue)),
                                                                      ("Action", .string(status($0)))]) }))
        return output.render(format)
    }

    /// Prints the outcome; exits with the first failure's code when any write failed.
    static func finish(_ plan: ParameterTransfer, outcomes: [ParameterTransfer.Outcome], global: GlobalOptions) throws {
        StandardStream.output.write(render(plan, outcomes: outcomes, format: global.output))
        let failures = outcomes.compactMap(\.error)
        if let first = failures.first {
            StandardStream.error.write("credctl: error: \(failures.count) of \(outcomes.count) write(s) failed; the others were written. First: \(first)\n")
            throw ExitCode(ExitStatus.of(first).rawValue)
        }
    }
}

struct ParamsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write the entries of a .env or JSON file as parameters under a path.",
        discussion: """
            credctl params import /APP/STAGING/MYSQL mysql.env --dry-run
            credctl params import /APP/STAGING config.json --type String

            KEY=value becomes PATH/KEY; in JSON, nested objects become deeper levels. Every name and
            value is checked, and what exists under the path is read, before anything is written:
            parameters that exist with other values are refused unless --overwrite; those with the
            same value and type are left alone. .env files are read as python-dotenv reads them,
            without ${VAR} expansion.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The path to write under, full or relative to --prefix/--env.")
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
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let fullPath = context.root.fullPath(path)
            try ParameterStore.checkPath(fullPath)
            let bytes = try InputFile.read(file, label: file)
            let entries: [(name: String, value: String)]
            do { entries = try ImportFile.parse(bytes, format: fileFormat) } catch { throw CommandInputError("\(file): \(error)") }
            if entries.isEmpty { throw CommandInputError("\(file) holds no entries") }
            let parsedType = try parseType(type)
            let parsedTier = try tier.map { (t) throws(AWSError) in try parseTier(t) }
            let full = entries.map { (name: ParameterRoot.name($0.name, under: fullPath), value: $0.value, type: parsedType) }
            // Offline checks before reading what exists.
            _ = try ParameterTransfer(entries: full, existing: [], overwrite: overwrite, tier: parsedTier)
            let store = try context.store()
            let existing = try store.read(paths: [fullPath], recursive: true)[0]
            let plan = try ParameterTransfer(entries: full, existing: existing, overwrite: overwrite, tier: parsedTier)
            if dryRun {
                context.progress.finish()
                StandardStream.output.write(TransferReport.render(plan, outcomes: nil, format: global.output))
                return
            }
            let outcomes = try plan.apply(store, keyId: keyId, tier: parsedTier)
            context.progress.finish()
            try TransferReport.finish(plan, outcomes: outcomes, global: global)
        }
    }
}

struct ParamsCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every parameter under one path to another (promote STAGING to PRODUCTION).",
        discussion: """
            credctl params copy /APP/STAGING /APP/PRODUCTION --dry-run

            Copies the whole tree under SRC (every level), keeping each parameter's type. What exists
            under DST is read first: parameters with other values are refused unless --overwrite;
            those with the same value and type are left alone.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The source path.")
    var source: String

    @Argument(help: "The destination path.")
    var destination: String

    @Flag(help: "Replace parameters that exist at the destination with other values.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be written; write nothing.")
    var dryRun = false

    @Option(name: .customLong("key-id"), help: "The KMS key for SecureString parameters at the destination.")
    var keyId: String?

    func run() throws {
        try reportingErrors {
            let context = try ParamsContext(global, rootOptions)
            let src = context.root.fullPath(source), dst = context.root.fullPath(destination)
            try ParameterStore.checkPath(src)
            try ParameterStore.checkPath(dst)
            if ParameterRoot.name("", under: src) == ParameterRoot.name("", under: dst) {
                throw CommandInputError("the source and destination are the same path")
            }
            let store = try context.store()
            let read = try store.read(paths: [src, dst], recursive: true)
            if read[0].isEmpty { throw CommandInputError("no parameters under \(src)") }
            let entries = read[0].map {
                (name: ParameterRoot.name(ParameterRoot.relativeName($0.name, under: src), under: dst), value: $0.value, type: $0.type)
            }
            let plan = try ParameterTransfer(entries: entries, existing: read[1], overwrite: overwrite)
            if dryRun {
                context.progress.finish()
                StandardStream.output.write(TransferReport.render(plan, outcomes: nil, format: global.output))
                return
            }
            let outcomes = try plan.apply(store, keyId: keyId, tier: nil)
            context.progress.finish()
            try TransferReport.finish(plan, outcomes: outcomes, global: global)
        }
    }
}

func parseType(_ text: String) throws(AWSError) -> ParameterType {
    do { return try ParameterType(parsing: text) } catch { throw .configuration(error) }
}

func parseTier(_ text: String) throws(AWSError) -> ParameterTier {
    do { return try ParameterTier(parsing: text) } catch { throw .configuration(error) }
}
