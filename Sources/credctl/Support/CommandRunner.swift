import ArgumentParser
import AWSCore
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
        let session = try global.session(profileMayBeNew: profileMayBeNew)
        let format = { () throws -> OutputFormat in
            try OutputChoice.resolve(flag: global.output, environment: session.environment, profile: session.profile)
        }
        if !printsOwnBytes { _ = try format() }
        do {
            try emit(try body(session), flag: global.output, format: format)
        } catch let failure as ReportedFailure {
            // Part of the work was done: the report says which, then the error is reported.
            StandardStream.output.write(failure.report.render(try format()))
            throw failure
        }
    }

    /// A command that makes no session (offline, or one that builds its own); its report's format
    /// is resolved first, as in `session`.
    static func offline(_ global: GlobalOptions, _ body: () throws -> CommandOutput) throws {
        let format = { () throws -> OutputFormat in
            try OutputChoice.resolveOffline(flag: global.output, profileFlag: global.profile, environment: Environment.current())
        }
        _ = try format()
        try emit(try body(), flag: global.output, format: format)
    }

    static func emit(_ output: CommandOutput, flag: OutputFormat?, format: () throws -> OutputFormat) throws {
        switch output {
        case .report(let report):
            StandardStream.output.write(report.render(try format()))
            if report.foundProblems { throw ExitCode(ExitStatus.checkFailed.rawValue) }
        case .reportThenExit(let report, let status):
            StandardStream.output.write(report.render(try format()))
            throw ExitCode(status.rawValue)
        case .bytes(let bytes, let json):
            if let json, flag == .json {
                StandardStream.output.write(json.render(.json))
                if json.foundProblems { throw ExitCode(ExitStatus.checkFailed.rawValue) }
            } else {
                StandardStream.output.write(bytes: bytes)
            }
        }
    }

    /// The `--format` of a command that prints its product in a format of its own (an export):
    /// the one given, or `--output json`'s `json`, or the default. Both given must say the same
    /// (`--format json --output json`); any other explicit `--output` beside a `--format` is
    /// refused, never ignored (exit 2).
    static func productFormat<Format: RawRepresentable>(_ format: Format?, _ global: GlobalOptions, json: Format, default fallback: Format,
                                                        _ why: String) throws -> Format where Format.RawValue == String {
        guard let format else {
            try refuse(global, unless: [.json], why)
            return global.output == .json ? json : fallback
        }
        if let chosen = global.output, !(chosen == .json && format.rawValue == json.rawValue) {
            throw CommandInputError("--output \(chosen.rawValue) and --format \(format.rawValue) disagree: \(why); pass one of them")
        }
        return format
    }

    /// Refuses an explicit `--output` a command cannot give.
    static func refuse(_ global: GlobalOptions, unless allowed: Set<OutputFormat>, _ why: String) throws {
        if let chosen = global.output, !allowed.contains(chosen) {
            throw CommandInputError("--output \(chosen.rawValue) does not apply here: \(why)")
        }
    }
}
