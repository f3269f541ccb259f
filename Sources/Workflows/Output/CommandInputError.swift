import AWSCore

/// Input a command found unusable after parsing (exit 2): an unreadable input file, a value
/// that is not UTF-8, an option that does not apply, an unknown command word.
public struct CommandInputError: ReportableError {
    public var message: String
    /// What to do instead (`did you mean …?`), printed as the `hint:` line.
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
    public var exitStatus: ExitStatus { .usage }
}
