import AWSCore

/// The numeric functions. A number's text is kept where the result is one of the inputs
/// (`abs` drops a sign, `ceil` of an integer is itself); a computed result is an integer when
/// every input is one, else the double's shortest text.
enum Numbers {
    static func absolute(_ v: JSONValue) -> JSONValue {
        guard case .number(let text) = v else { return .null }
        return .number(text.hasPrefix("-") ? String(text.dropFirst()) : text)
    }

    static func rounded(_ v: JSONValue, up: Bool) -> JSONValue {
        guard case .number(let text) = v else { return .null }
        if Int(text) != nil { return v }
        let d = Double(text) ?? 0
        let r = up ? d.rounded(.up) : d.rounded(.down)
        if let n = Int(exactly: r) { return Values.integer(n) }
        return Values.number(r)
    }

    static func sum(_ items: [JSONValue]) -> JSONValue {
        let texts = items.compactMap { v -> String? in if case .number(let t) = v { return t } else { return nil } }
        var total = 0
        var exact = true
        for t in texts {
            guard let n = Int(t) else { exact = false; break }
            let (s, overflow) = total.addingReportingOverflow(n)
            if overflow { exact = false; break }
            total = s
        }
        if exact { return Values.integer(total) }
        return Values.number(texts.reduce(0.0) { $0 + (Double($1) ?? 0) })
    }

    static func average(_ items: [JSONValue]) -> JSONValue {
        guard !items.isEmpty else { return .null }
        let total = items.reduce(0.0) { $0 + ($1.doubleValue ?? 0) }
        return Values.number(total / Double(items.count))
    }

    /// `to_number`: a number stays; a string that reads as an integer or a decimal number
    /// becomes one; anything else is null.
    static func parse(_ v: JSONValue) -> JSONValue {
        switch v {
        case .number: return v
        case .string(let s):
            var text = Substring(s)
            while let c = text.first, c == " " || c == "\t" || c == "\n" || c == "\r" { text.removeFirst() }
            while let c = text.last, c == " " || c == "\t" || c == "\n" || c == "\r" { text.removeLast() }
            if text.hasPrefix("+") { text.removeFirst() }
            if let n = Int(text) { return Values.integer(n) }
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
                  let d = Double(text), d.isFinite else { return .null }
            if case .number? = try? JSONValue.parse(String(text)) { return .number(String(text)) }
            return Values.number(d)
        default: return .null
        }
    }
}
