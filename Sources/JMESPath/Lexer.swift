import AWSCore

/// Splits an expression into tokens as jmespath.py's lexer does, including its JSON-literal
/// fallback (`` `foo` `` read as the string "foo").
struct Lexer {
    private let chars: [Unicode.Scalar]
    private var i = 0

    init(_ expression: String) { chars = Array(expression.unicodeScalars) }

    static func tokens(_ expression: String) throws(JMESPathError) -> [Token] {
        var lexer = Lexer(expression)
        var out: [Token] = []
        while let token = try lexer.next() { out.append(token) }
        out.append(Token(kind: .eof, text: "", start: lexer.chars.count))
        return out
    }

    private static let simple: [Unicode.Scalar: Token.Kind] = [
        ".": .dot, "*": .star, "]": .rbracket, ",": .comma, ":": .colon, "@": .current,
        "(": .lparen, ")": .rparen, "{": .lbrace, "}": .rbrace,
    ]

    private var current: Unicode.Scalar? { i < chars.count ? chars[i] : nil }
    private func peek(_ n: Int = 1) -> Unicode.Scalar? { i + n < chars.count ? chars[i + n] : nil }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private mutating func next() throws(JMESPathError) -> Token? {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
        guard let c = current else { return nil }
        let start = i
        if let kind = Self.simple[c] {
            i += 1
            return Token(kind: kind, text: String(c), start: start)
        }
        if Self.isIdentifierStart(c) {
            while let n = current, Self.isIdentifierPart(n) { i += 1 }
            return Token(kind: .unquotedIdentifier, text: text(start, i), start: start)
        }
        if Self.isDigit(c) || c == "-" {
            i += 1
            while let n = current, Self.isDigit(n) { i += 1 }
            guard i - start > 1 || c != "-" else { throw JMESPathError(.syntax, "unknown token '-'", column: start) }
            return Token(kind: .number, text: text(start, i), start: start)
        }
        switch c {
        case "[":
            i += 1
            if current == "]" { i += 1; return Token(kind: .flatten, text: "[]", start: start) }
            if current == "?" { i += 1; return Token(kind: .filter, text: "[?", start: start) }
            return Token(kind: .lbracket, text: "[", start: start)
        case "|": return pair("|", .or, else: .pipe)
        case "&": return pair("&", .and, else: .expref)
        case "<": return pair("=", .lte, else: .lt)
        case ">": return pair("=", .gte, else: .gt)
        case "!": return pair("=", .ne, else: .not)
        case "=":
            guard peek() == "=" else { throw JMESPathError(.syntax, "unknown token '=' (did you mean '=='?)", column: start) }
            i += 2
            return Token(kind: .eq, text: "==", start: start)
        case "'":
            let raw = try delimited(by: "'").replacingEscaped("'")
            return Token(kind: .literal, text: raw, value: .string(raw), start: start)
        case "`":
            return Token(kind: .literal, text: "", value: try jsonLiteral(start: start), start: start)
        case "\"":
            let lexeme = try delimited(by: "\"")
            guard case .string(let name)? = try? JSONValue.parse("\"" + lexeme + "\"") else {
                throw JMESPathError(.syntax, "invalid quoted identifier \"\(lexeme)\"", column: start)
            }
            return Token(kind: .quotedIdentifier, text: name, start: start)
        default:
            throw JMESPathError(.syntax, "unknown token '\(c)'", column: start)
        }
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars[from..<to])
        return String(s)
    }

    private mutating func pair(_ second: Unicode.Scalar, _ both: Token.Kind, else one: Token.Kind) -> Token {
        let start = i
        if peek() == second {
            i += 2
            return Token(kind: both, text: both.rawValue, start: start)
        }
        i += 1
        return Token(kind: one, text: one.rawValue, start: start)
    }

    /// The text up to the closing delimiter; a backslash keeps the character after it (both stay
    /// in the text, as jmespath.py leaves them for the caller to unescape).
    private mutating func delimited(by delimiter: Unicode.Scalar) throws(JMESPathError) -> String {
        let start = i
        i += 1
        var buffer = String.UnicodeScalarView()
        while current != delimiter {
            if current == "\\" {
                buffer.append("\\")
                i += 1
            }
            guard let c = current else { throw JMESPathError(.syntax, "unclosed \(delimiter) delimiter", column: start) }
            buffer.append(c)
            i += 1
        }
        i += 1
        return String(buffer)
    }

    /// `` `JSON` ``; text that is not JSON is read as a string, as jmespath.py still allows.
    private mutating func jsonLiteral(start: Int) throws(JMESPathError) -> JSONValue {
        let lexeme = try delimited(by: "`").replacingEscaped("`")
        if let value = try? JSONValue.parse(lexeme) { return value }
        let trimmed = String(String.UnicodeScalarView(lexeme.unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }))
        if let value = try? JSONValue.parse("\"" + trimmed + "\"") { return value }
        throw JMESPathError(.syntax, "bad literal `\(lexeme)`", column: start)
    }
}

extension String {
    /// `\x` → `x` for the one delimiter character `x`; other backslashes stay.
    func replacingEscaped(_ delimiter: Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(unicodeScalars)
        var k = 0
        while k < scalars.count {
            if scalars[k] == "\\", k + 1 < scalars.count, scalars[k + 1] == delimiter {
                out.append(delimiter)
                k += 2
            } else {
                out.append(scalars[k])
                k += 1
            }
        }
        return String(out)
    }
}
