import AWSCore

/// A Pratt parser over the lexer's tokens, built as jmespath.py's parser is (the same binding
/// powers and the same projection rules), so that both read every expression alike.
struct Parser {
    private let tokens: [Token]
    private var i = 0
    /// Tokens binding less tightly than this end a projection's right side.
    private static let projectionStop = 10

    private init(_ tokens: [Token]) { self.tokens = tokens }

    static func parse(_ expression: String) throws(JMESPathError) -> Node {
        guard !expression.isEmpty else { throw JMESPathError(.syntax, "empty expression") }
        var parser = Parser(try Lexer.tokens(expression))
        let node = try parser.expression(0)
        guard parser.current.kind == .eof else { throw parser.unexpected() }
        return node
    }

    private var current: Token { tokens[i] }
    private func lookahead(_ n: Int) -> Token.Kind { tokens[min(i + n, tokens.count - 1)].kind }
    private mutating func advance() { if i < tokens.count - 1 { i += 1 } }

    private func unexpected(_ expected: String? = nil) -> JMESPathError { unexpected(current, expected) }

    private func unexpected(_ token: Token, _ expected: String? = nil) -> JMESPathError {
        if token.kind == .eof { return JMESPathError(.syntax, "incomplete expression", column: token.start) }
        let what = expected.map { "expected \($0), got \(token.shown)" } ?? "unexpected \(token.shown)"
        return JMESPathError(.syntax, what, column: token.start)
    }

    private mutating func match(_ kind: Token.Kind) throws(JMESPathError) {
        guard current.kind == kind else { throw unexpected("'\(kind.rawValue)'") }
        advance()
    }

    private mutating func expression(_ bindingPower: Int) throws(JMESPathError) -> Node {
        let token = current
        advance()
        var left = try nud(token)
        while bindingPower < current.kind.bindingPower {
            let token = current
            advance()
            left = try led(token, left)
        }
        return left
    }

    // MARK: tokens that begin an expression

    private mutating func nud(_ token: Token) throws(JMESPathError) -> Node {
        switch token.kind {
        case .literal: return .literal(token.value)
        case .unquotedIdentifier: return .field(token.text)
        case .quotedIdentifier:
            if current.kind == .lparen {
                throw JMESPathError(.syntax, "a quoted identifier cannot name a function", column: current.start)
            }
            return .field(token.text)
        case .star:
            let right = current.kind == .rbracket ? Node.current : try projectionRight(Token.Kind.star.bindingPower)
            return .valueProjection(.current, right)
        case .filter: return try filter(.current)
        case .lbrace: return try multiSelectHash()
        case .lparen:
            let inner = try expression(0)
            try match(.rparen)
            return inner
        case .flatten:
            return .projection(.flatten(.current), try projectionRight(Token.Kind.flatten.bindingPower))
        case .not: return .not(try expression(Token.Kind.not.bindingPower))
        case .lbracket:
            if current.kind == .number || current.kind == .colon {
                return try projectIfSlice(.current, try indexOrSlice())
            }
            if current.kind == .star, lookahead(1) == .rbracket {
                advance()
                advance()
                return .projection(.current, try projectionRight(Token.Kind.star.bindingPower))
            }
            return try multiSelectList()
        case .current: return .current
        case .expref: return .expressionReference(try expression(Token.Kind.expref.bindingPower))
        default: throw unexpected(token)
        }
    }

    // MARK: tokens that continue an expression

    private mutating func led(_ token: Token, _ left: Node) throws(JMESPathError) -> Node {
        let power = token.kind.bindingPower
        switch token.kind {
        case .dot:
            if current.kind == .star {
                advance()
                return .valueProjection(left, try projectionRight(power))
            }
            return .subexpression(left, try dotRight(power))
        case .pipe: return .pipe(left, try expression(power))
        case .or: return .or(left, try expression(power))
        case .and: return .and(left, try expression(power))
        case .lparen:
            guard case .field(let name) = left else {
                let before = tokens[max(i - 2, 0)]
                throw JMESPathError(.syntax, "invalid function name \(before.shown)", column: before.start)
            }
            var arguments: [Node] = []
            while current.kind != .rparen {
                arguments.append(try expression(0))
                if current.kind == .comma { try match(.comma) }
            }
            try match(.rparen)
            return .function(name, arguments)
        case .filter: return try filter(left)
        case .eq, .ne, .lt, .lte, .gt, .gte:
            let comparator = Node.Comparator(rawValue: token.kind.rawValue) ?? .eq
            return .comparison(comparator, left, try expression(power))
        case .flatten:
            return .projection(.flatten(left), try projectionRight(power))
        case .lbracket:
            if current.kind == .number || current.kind == .colon {
                return try projectIfSlice(left, try indexOrSlice())
            }
            try match(.star)
            try match(.rbracket)
            return .projection(left, try projectionRight(Token.Kind.star.bindingPower))
        default: throw unexpected(token)
        }
    }

    // MARK: pieces

    private mutating func filter(_ left: Node) throws(JMESPathError) -> Node {
        let condition = try expression(0)
        try match(.rbracket)
        let right = current.kind == .flatten ? Node.current : try projectionRight(Token.Kind.filter.bindingPower)
        return .filterProjection(left, right, condition: condition)
    }

    private mutating func projectIfSlice(_ left: Node, _ right: Node) throws(JMESPathError) -> Node {
        let indexed = Node.indexExpression(left, right)
        guard case .slice = right else { return indexed }
        return .projection(indexed, try projectionRight(Token.Kind.star.bindingPower))
    }

    /// After `[`: `number]` or a slice `start:stop:step]`.
    private mutating func indexOrSlice() throws(JMESPathError) -> Node {
        if lookahead(0) == .colon || lookahead(1) == .colon { return try slice() }
        let index = try number(current)
        advance()
        try match(.rbracket)
        return .index(index)
    }

    private mutating func slice() throws(JMESPathError) -> Node {
        var parts: [Int?] = [nil, nil, nil]
        var part = 0
        while current.kind != .rbracket, part < 3 {
            if current.kind == .colon {
                part += 1
                if part == 3 { throw unexpected() }
                advance()
            } else if current.kind == .number {
                parts[part] = try number(current)
                advance()
            } else {
                throw unexpected()
            }
        }
        try match(.rbracket)
        return .slice(start: parts[0], stop: parts[1], step: parts[2])
    }

    private func number(_ token: Token) throws(JMESPathError) -> Int {
        guard token.kind == .number else { throw unexpected("a number") }
        guard let n = Int(token.text) else { throw JMESPathError(.syntax, "number out of range: \(token.text)", column: token.start) }
        return n
    }

    private mutating func projectionRight(_ power: Int) throws(JMESPathError) -> Node {
        if current.kind.bindingPower < Self.projectionStop { return .current }
        switch current.kind {
        case .lbracket, .filter: return try expression(power)
        case .dot:
            advance()
            return try dotRight(power)
        default: throw unexpected()
        }
    }

    /// After `.`: an identifier, `*`, a multi-select list or hash, or a function call.
    private mutating func dotRight(_ power: Int) throws(JMESPathError) -> Node {
        switch current.kind {
        case .quotedIdentifier, .unquotedIdentifier, .star: return try expression(power)
        case .lbracket:
            advance()
            return try multiSelectList()
        case .lbrace:
            advance()
            return try multiSelectHash()
        default: throw unexpected("an identifier, '[' or '{'")
        }
    }

    private mutating func multiSelectList() throws(JMESPathError) -> Node {
        var items: [Node] = []
        while true {
            items.append(try expression(0))
            if current.kind == .rbracket { break }
            try match(.comma)
        }
        try match(.rbracket)
        return .multiSelectList(items)
    }

    private mutating func multiSelectHash() throws(JMESPathError) -> Node {
        var pairs: [(key: String, value: Node)] = []
        while true {
            let key = current
            guard key.kind == .quotedIdentifier || key.kind == .unquotedIdentifier else { throw unexpected("a key name") }
            advance()
            try match(.colon)
            pairs.append((key.text, try expression(0)))
            if current.kind == .comma {
                advance()
            } else if current.kind == .rbrace {
                advance()
                break
            } else {
                throw unexpected("',' or '}'")
            }
        }
        return .multiSelectHash(pairs)
    }
}
