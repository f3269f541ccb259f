import AWSCore

/// A compiled JMESPath expression (jmespath.org), evaluated over credctl's `JSONValue`:
/// `try Expression("Users[?Age > `30`].Name").search(document)`.
public struct Expression: Sendable {
    public let text: String
    let root: Node

    /// Compiles `text`; a syntax error says where.
    public init(_ text: String) throws(JMESPathError) {
        self.text = text
        root = try Parser.parse(text)
    }

    /// The expression's value for `document`; a function given the wrong arguments is an error.
    public func search(_ document: JSONValue) throws(JMESPathError) -> JSONValue {
        try Interpreter.evaluate(root, document)
    }
}
