import ArgumentParser
import AWSCore
import JMESPath
import Workflows

/// What a command prints: a report (rendered in the chosen format), or bytes that are the
/// command's product (a value, an export, a response body), printed exactly unless `--output
/// json` asks for the report form.
enum CommandOutput {
    case report(Report)
    case bytes([UInt8], json: Report?)
    /// A report, then an exit code of its own (a verdict that is not a check's: no credentials).
    case reportThenExit(Report, ExitStatus)

    static func text(_ s: String, json: Report? = nil) -> CommandOutput { .bytes(Array(s.utf8), json: json) }
}

/// Every command's run: parse (done by ArgumentParser), one workflow call, one output. Errors
/// go up to `ErrorReport`; a report that found problems exits 1.
enum Run {
    /// A command that needs a session. A report's format is resolved before the command does
    /// anything, so that a format credctl cannot print (`output = yaml`) stops it before any call
    /// or write. A command whose product is bytes of its own (`printsOwnBytes`: an export, a
    /// value, a response body) prints them whatever `AWS_DEFAULT_OUTPUT` or the profile's `output`
    /// say; only `--output json` asks for its report form.
    static func session(_ global: GlobalOptions, printsOwnBytes: Bool = false, profileMayBeNew: Bool = false,
                        _ body: (AWSSession) throws -> CommandOutput) throws {
        let query = try global.compiledQuery()
        let session = try global.session(profileMayBeNew: profileMayBeNew)
        let format = { () throws -> OutputFormat in
            try OutputChoice.resolve(flag: global.output, environment: session.environment, profile: session.profile)
        }
        if !printsOwnBytes { try QueryOutput.check(query, try format()) }
        let printer = Printer(flag: global.output, format: format, query: query)
        do {
            try printer.emit(try body(session))
        } catch let failure as ReportedFailure {
            // Part of the work was done: the report says which, then the error is reported.
            StandardStream.output.write(try printer.render(failure.report))
            throw failure
        }
    }

    /// Bytes a command printed without a session (`cached`, an answer from the agent), shown as
    /// `session(printsOwnBytes:)` shows them: as they are, or their JSON under `--query`.
    static func ownBytes(_ global: GlobalOptions, _ text: String) throws {
        try Printer(flag: global.output, format: { .json }, query: try global.compiledQuery()).emit(.text(text))
    }

    /// A command that makes no session (offline, or one that builds its own); its report's format
    /// is resolved first, as in `session`.
    static func offline(_ global: GlobalOptions, _ body: () throws -> CommandOutput) throws {
        let query = try global.compiledQuery()
        let format = { () throws -> OutputFormat in
            try OutputChoice.resolveOffline(flag: global.output, profileFlag: global.profile, environment: Environment.current())
        }
        try QueryOutput.check(query, try format())
        try Printer(flag: global.output, format: format, query: query).emit(try body())
    }

    /// The `--format` of a command that prints its product in a format of its own (an export):
    /// the one given, or `json` for `--output json` or `--query`, or the default. Both given must
    /// say the same (`--format json --output json`); any other explicit `--output` beside a
    /// `--format` is refused, never ignored (exit 2), and so is `--query` beside a format that is
    /// not JSON.
    static func productFormat<Format: RawRepresentable>(_ format: Format?, _ global: GlobalOptions, json: Format, default fallback: Format,
                                                        _ why: String) throws -> Format where Format.RawValue == String {
        guard let format else {
            try refuse(global, unless: [.json], why)
            return global.wantsJSON ? json : fallback
        }
        // With --query, --output says how the query's result is shown (text, table), not the product's format.
        let queried = global.query != nil && format.rawValue == json.rawValue
        if let chosen = global.output, !(chosen == .json && format.rawValue == json.rawValue), !queried {
            throw CommandInputError("--output \(chosen.rawValue) and --format \(format.rawValue) disagree: \(why); pass one of them")
        }
        if global.query != nil, format.rawValue != json.rawValue {
            throw CommandInputError("--query applies to JSON output, not --format \(format.rawValue): pass --format \(json.rawValue) or no --format")
        }
        return format
    }

    /// Refuses an explicit `--output` a command cannot give, and `--query` where it has no JSON.
    /// A command with a JSON form shows a `--query` result in text or table too.
    static func refuse(_ global: GlobalOptions, unless allowed: Set<OutputFormat>, _ why: String) throws {
        let queried = global.query != nil && allowed.contains(.json)
        if let chosen = global.output, !allowed.contains(chosen), !(queried && chosen != .csv) {
            throw CommandInputError("--output \(chosen.rawValue) does not apply here: \(why)")
        }
        if global.query != nil, !allowed.contains(.json) {
            throw CommandInputError("--query does not apply here: \(why)")
        }
    }
}

/// Prints a command's output in the chosen format, through `--query` when one was given.
struct Printer {
    var flag: OutputFormat?
    var format: () throws -> OutputFormat
    var query: JMESPath.Expression?

    func render(_ report: Report) throws -> String {
        guard let query else { return report.render(try format()) }
        return try QueryOutput.render(report.json, query, try format())
    }

    func emit(_ output: CommandOutput) throws {
        switch output {
        case .report(let report):
            StandardStream.output.write(try render(report))
            if report.foundProblems { throw ExitCode(ExitStatus.checkFailed.rawValue) }
        case .reportThenExit(let report, let status):
            StandardStream.output.write(try render(report))
            throw ExitCode(status.rawValue)
        case .bytes(let bytes, let json):
            if let query {
                // The JSON form: the report's, or the product itself when it is JSON (an export).
                let document: JSONValue
                if let json { document = json.json } else {
                    guard let parsed = try? JSONValue.parse(bytes) else {
                        throw CommandInputError("--query applies to JSON output; this command printed none (choose --format json)")
                    }
                    document = parsed
                }
                try QueryOutput.check(query, flag ?? .json)
                StandardStream.output.write(try QueryOutput.render(document, query, flag ?? .json))
                if json?.foundProblems == true { throw ExitCode(ExitStatus.checkFailed.rawValue) }
            } else if let json, flag == .json {
                StandardStream.output.write(json.render(.json))
                if json.foundProblems { throw ExitCode(ExitStatus.checkFailed.rawValue) }
            } else {
                StandardStream.output.write(bytes: bytes)
            }
        }
    }
}

/// `--query EXPR` as the AWS CLI applies it: to the JSON the command would print, before the
/// result is formatted (awscli/formatter.py). JSON prints the result (nothing for `{}`, as the
/// AWS CLI); text prints it as the AWS CLI's text output does; table in credctl's table layout.
enum QueryOutput {
    /// CSV is the report's main table, which a query result is not.
    static func check(_ query: JMESPath.Expression?, _ format: OutputFormat) throws {
        if query != nil, format == .csv {
            throw CommandInputError("--query does not apply to --output csv: choose json, text or table")
        }
    }

    static func render(_ document: JSONValue, _ query: JMESPath.Expression, _ format: OutputFormat) throws -> String {
        let result: JSONValue
        do { result = try query.search(document) } catch {
            throw CommandInputError("--query \(query.text) failed: \(error)")
        }
        switch format {
        case .json, .csv:
            if case .object(let members) = result, members.isEmpty { return "" }
            return result.serialized(pretty: true) + "\n"
        case .text: return QueryResultText.render(result)
        case .table: return QueryResultTable.render(result)
        }
    }
}
