import AWSCore

/// Why an expression could not be compiled or evaluated, in the kinds the JMESPath compliance
/// suite names (`syntax`, `invalid-type`, `invalid-value`, `invalid-arity`, `unknown-function`).
public struct JMESPathError: ReportableError, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case syntax
        case invalidType = "invalid-type"
        case invalidValue = "invalid-value"
        case invalidArity = "invalid-arity"
        case unknownFunction = "unknown-function"
    }

    public var kind: Kind
    public var message: String
    /// For a syntax error, the column (from 0) of the token where parsing stopped.
    public var column: Int?

    public init(_ kind: Kind, _ message: String, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.column = column
    }

    public var description: String {
        guard let column else { return message }
        return "\(message) at column \(column)"
    }

    /// A `--query` that cannot be compiled or evaluated is bad input (exit 2).
    public var exitStatus: ExitStatus { .usage }
}
