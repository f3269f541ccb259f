/// credctl's documented exit codes (docs/exit-codes.md).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    /// A check found problems (or a rotation was refused or rolled back: nothing lost).
    case checkFailed = 1
    /// Bad usage or input, including unusable configuration.
    case usage = 2
    /// No credentials, or credentials AWS does not accept.
    case credentials = 3
    /// The service refused: access denied, not found, throttled beyond the retry budget, …
    case serviceRefused = 4
    /// No answer: network, DNS, TLS or timeout.
    case network = 5
    /// A command credctl was to run could not be started (as a shell says).
    case commandNotRun = 127
}

/// An error that knows how credctl reports it: its exit code, its one-line message
/// (`description`), and at most one line of hint (what is left, what to do). Every error type
/// credctl throws adopts it, beside its type; the CLI prints any of them the same way and keeps
/// a mapping only for the argument parser's own errors (`ErrorReport`).
public protocol ReportableError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
    /// One more line after the message; nil by default.
    var hint: String? { get }
}

extension ReportableError {
    public var hint: String? { nil }
}
