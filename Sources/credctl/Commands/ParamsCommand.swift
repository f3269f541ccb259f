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
        discussion: HelpText.reflowed("""
            Names starting with / are used as they are. Relative names live under a root:
            --prefix /ELASMETRICS --env STAGING (or CREDCTL_PARAMS_PREFIX and CREDCTL_PARAMS_ENV)
            make MYSQL/PASSWORD stand for /ELASMETRICS/STAGING/MYSQL/PASSWORD.
            SecureString values are decrypted. Values are never taken from the command line.
            See params.md in share/doc/credctl.
            """),
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
}

extension Run {
    /// A `params` command: the session's parameter workflow, with a progress line on a terminal
    /// (cleared before the output is printed).
    static func params(_ global: GlobalOptions, _ root: ParameterRootOptions, printsOwnBytes: Bool = false,
                       _ body: (ParameterWorkflow) throws -> CommandOutput) throws {
        let progress = ProgressLine(quiet: global.quiet)
        try Run.session(global, printsOwnBytes: printsOwnBytes) { session in
            defer { progress.finish() }
            return try body(ParameterWorkflow(session: session, prefix: root.prefix, env: root.env,
                                              progress: { progress.update($0) }, note: { progress.note($0) }))
        }
    }
}

struct ParamsGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print one parameter's value (SecureString decrypted) and a newline, nothing else.",
        discussion: HelpText.reflowed("""
            PASSWORD=$(credctl params get /APP/STAGING/DB/PASSWORD)
            credctl params get DB/PASSWORD --prefix /APP --env STAGING --output json

            --output json prints the whole record (other --output formats do not apply). A name
            that does not exist exits 4.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The parameter's name, full (/A/B/C) or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var name: String

    @Option(help: "Read this version.")
    var version: Int?

    @Option(help: "Read the version with this label.")
    var label: String?

    func validate() throws {
        if version != nil, label != nil { throw ValidationError("give --version or --label, not both") }
    }

    func run() throws {
        try Run.refuse(global, unless: [.json], "params get prints the bare value; --output json gives the whole record")
        try Run.params(global, rootOptions, printsOwnBytes: true) { params in
            let got = try params.get(name, version: version, label: label)
            // The record only for an explicit --output json: a default of json (AWS_DEFAULT_OUTPUT,
            // the profile's output) must not turn $(credctl params get X) into a document.
            return .text(got.value + "\n", json: global.wantsJSON ? got.report : nil)
        }
    }
}

struct ParamsGetPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-path",
        abstract: "Print every parameter under a path, with names relative to it.",
        discussion: HelpText.reflowed("""
            credctl params get-path /APP/STAGING --recursive
            credctl params get-path /APP/STAGING --recursive --output json

            Table and text output write control characters in values as \\n, \\t, …, to keep one
            parameter per line; --output json and `params export` give values exactly.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "The path, full (/A/B) or relative to --prefix/--env ('.' for the root itself).", completion: NameCompletion.parameters)
    var path: String

    @Flag(help: "Include every level below the path, not just the one under it.")
    var recursive = false

    func run() throws {
        try Run.params(global, rootOptions) { params in .report(try params.getPath(path, recursive: recursive)) }
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

    @Argument(help: "Only parameters under this path (full or relative to --prefix/--env).", completion: NameCompletion.parameters)
    var path: String?

    @Flag(help: "Include every level below the path.")
    var recursive = false

    func run() throws {
        try Run.params(global, rootOptions) { params in .report(try params.list(path, recursive: recursive)) }
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

    @Argument(help: "The parameter's name, full or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var name: String

    @Flag(help: "Show each version's value (SecureString decrypted).")
    var values = false

    func run() throws {
        try Run.params(global, rootOptions) { params in .report(try params.history(name, values: values)) }
    }
}

struct ParamsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the parameters under one or more paths as dotenv, env, json or yaml.",
        discussion: HelpText.reflowed("""
            credctl params export /ELASMETRICS/STAGING/MYSQL > .env   # PASSWORD="…" …
            eval "$(credctl params export /APP/STAGING --recursive --format env)"

            Variable names: the name relative to the path, with / . - as _ and letters upper-cased
            (/APP/STAGING/MYSQL/PASSWORD under /APP/STAGING is MYSQL_PASSWORD). Two parameters of
            one path with the same variable name are an error; a later path's variable replaces an
            earlier path's. Paths are read concurrently. Values are quoted so that shells and
            python-dotenv read them back exactly (spaces, =, #, quotes, newlines). A path with no
            parameters exits 4.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    @Argument(help: "Paths, full or relative to --prefix/--env.", completion: NameCompletion.parameters)
    var paths: [String]

    @Flag(help: "Include every level below each path.")
    var recursive = false

    @Option(help: "dotenv (default), env, json or yaml.")
    var format: ParameterExportFormat?

    @Option(name: .customLong("allow-variable"), parsing: .singleValue, help: "Export this name even though it changes how programs behave (PATH, LD_*, AWS_*, …; see params.md in share/doc/credctl).")
    var allowVariable: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one path") }
    }

    func run() throws {
        let chosen = try Run.productFormat(format, global, json: .json, default: .dotenv, "the variables are printed in the --format chosen (dotenv, env, json, yaml)")
        try Run.params(global, rootOptions, printsOwnBytes: true) { params in
            .text(try params.variables(paths, recursive: recursive, allowing: Set(allowVariable)).render(chosen))
        }
    }
}

struct ParamsExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the parameters under one or more paths in its environment.",
        discussion: HelpText.reflowed("""
            credctl params exec /APP/STAGING/MYSQL /APP/STAGING/APP -- ./server

            Variables are named as by `params export`; later paths override earlier ones, and both
            override the inherited environment. credctl replaces itself with the command, so the
            exit status is the command's own; 127 when it cannot be started.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var rootOptions: ParameterRootOptions

    /// The paths, then (after `--`) the command. swift-argument-parser does not allow a second
    /// positional array after the first, but it appends the words after `--` to this one, so
    /// the command is the last as many words as follow the first `--` of the process's arguments.
    @Argument(help: ArgumentHelp("Paths, full or relative to --prefix/--env; then -- and the command with its arguments.", valueName: "path... -- command"), completion: NameCompletion.parameters)
    var words: [String] = []

    @Flag(help: "Include every level below each path.")
    var recursive = false

    @Option(name: .customLong("allow-variable"), parsing: .singleValue, help: "Set this name even though it changes how programs behave (PATH, LD_*, AWS_*, …; see params.md in share/doc/credctl).")
    var allowVariable: [String] = []

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
        try Run.refuse(global, unless: [], "the command's own output is what exec prints")
        let (paths, command) = split
        try Run.params(global, rootOptions, printsOwnBytes: true) { params in
            let variables = try params.variables(paths, recursive: recursive, allowing: Set(allowVariable))
            var environment = params.session.environment.variables
            for v in variables.variables { environment[v.name] = v.value }
            throw ExecLaunch.replaceProcess(with: command, environment: environment)
        }
    }
}
