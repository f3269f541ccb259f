import AWSCore

/// One token of an expression, as jmespath.py's lexer names them.
struct Token: Sendable {
    enum Kind: String, Sendable {
        case eof, unquotedIdentifier = "identifier", quotedIdentifier = "quoted identifier", literal, number
        case rbracket = "]", rparen = ")", rbrace = "}", comma = ",", colon = ":"
        case current = "@", expref = "&", pipe = "|", or = "||", and = "&&", not = "!"
        case eq = "==", ne = "!=", gt = ">", gte = ">=", lt = "<", lte = "<="
        case flatten = "[]", star = "*", filter = "[?", dot = ".", lbrace = "{", lbracket = "[", lparen = "("

        /// How tightly the token binds to the expression on its left (jmespath.py's table).
        var bindingPower: Int {
            switch self {
            case .eof, .unquotedIdentifier, .quotedIdentifier, .literal, .rbracket, .rparen, .comma, .rbrace,
                 .number, .current, .expref, .colon: return 0
            case .pipe: return 1
            case .or: return 2
            case .and: return 3
            case .eq, .ne, .gt, .gte, .lt, .lte: return 5
            case .flatten: return 9
            case .star: return 20
            case .filter: return 21
            case .dot: return 40
            case .not: return 45
            case .lbrace: return 50
            case .lbracket: return 55
            case .lparen: return 60
            }
        }
    }

    var kind: Kind
    /// An identifier's name, a number's digits, or the token's own text.
    var text: String
    /// A literal's value (`` `…` `` or `'…'`).
    var value: JSONValue = .null
    /// Column (from 0, in Unicode scalars) where the token starts.
    var start: Int

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .eof: return "the end of the expression"
        case .unquotedIdentifier, .quotedIdentifier, .number: return "\(kind.rawValue) '\(text)'"
        case .literal: return "a literal"
        default: return "'\(kind.rawValue)'"
        }
    }
}
