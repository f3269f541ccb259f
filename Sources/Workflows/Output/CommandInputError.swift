import AWSCore

/// Input a command found unusable after parsing (exit 2): an unreadable input file, a value
/// that is not UTF-8, an option that does not apply.
public struct CommandInputError: ReportableError {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    public var exitStatus: ExitStatus { .usage }
}
