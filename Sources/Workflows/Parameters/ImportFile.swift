import AWSCore

/// The entries of a file for `params import`: a `.env` file or a JSON object.
public enum ImportFile {
    public enum Format: String, CaseIterable, Sendable {
        case dotenv, json
    }

    public struct ParseError: ReportableError, Sendable, Equatable {
        public var description: String
        public var exitStatus: ExitStatus { .usage }
    }

    /// (name relative to the import path, value) in file order. JSON is recognised by a
    /// leading `{` when no format is given.
    public static func parse(_ bytes: [UInt8], format: Format?) throws(ParseError) -> [(name: String, value: String)] {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ParseError(description: "the file is not UTF-8 text") }
        let detected = format ?? (text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }.first == "{" ? .json : .dotenv)
        switch detected {
        case .json: return try json(text)
        case .dotenv:
            var parser = DotenvParser(text)
            return try parser.entries()
        }
    }

    /// A JSON object: strings as they are, numbers and booleans as their text, nested objects
    /// as deeper levels (`{"MYSQL": {"USER": "x"}}` is `MYSQL/USER`).
    static func json(_ text: String) throws(ParseError) -> [(name: String, value: String)] {
        let document: JSONValue
        do { document = try JSONValue.parse(text) } catch { throw ParseError(description: error.description) }
        guard case .object = document else { throw ParseError(description: "the JSON document is not an object") }
        var out: [(name: String, value: String)] = []
        func walk(_ value: JSONValue, _ name: String) throws(ParseError) {
            switch value {
            case .object(let members):
                for (key, member) in members { try walk(member, name.isEmpty ? key : name + "/" + key) }
            case .string(let s): out.append((name, s))
            case .number(let n): out.append((name, n))
            case .bool(let b): out.append((name, b ? "true" : "false"))
            case .null: throw ParseError(description: "'\(name)' is null; give it a value or leave it out")
            case .array: throw ParseError(description: "'\(name)' is an array; only strings, numbers, booleans and objects can be imported")
            }
        }
        try walk(document, "")
        return out
    }
}

/// `.env` files as python-dotenv reads them, without variable expansion: `KEY=value`,
/// optional `export `, `#` comments; single-quoted values (only `\\` and `\'` escaped, may span
/// lines), double-quoted values (`\n`, `\t`, `\"`, `\\`, … escapes), unquoted values (trimmed, a
/// ` #` starts a comment). A line credctl cannot read is an error naming it, not skipped.
struct DotenvParser {
    let s: [Character]
    var i = 0
    var line = 1

    init(_ text: String) { s = Array(text) }

    func fail(_ reason: String) -> ImportFile.ParseError { ImportFile.ParseError(description: "line \(line): \(reason)") }

    mutating func entries() throws(ImportFile.ParseError) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        while true {
            skipBlank()
            guard i < s.count else { return out }
            if s[i] == "#" { skipToLineEnd(); continue }
            if hasWord("export"), i + 6 < s.count, s[i + 6] == " " || s[i + 6] == "\t" {
                i += 6
                skipSpaces()
            }
            let key = try readKey()
            skipSpaces()
            guard i < s.count, s[i] == "=" else { throw fail("expected NAME=value (the line's text is not shown: it may be a secret)") }
            i += 1
            skipSpaces()
            let value = try readValue()
            out.append((key, value))
        }
    }

    func hasWord(_ w: String) -> Bool {
        let chars = Array(w)
        return i + chars.count <= s.count && Array(s[i..<(i + chars.count)]) == chars
    }

    mutating func skipBlank() {
        while i < s.count, s[i].isWhitespace {
            if s[i].isNewline { line += 1 }
            i += 1
        }
    }

    mutating func skipSpaces() {
        while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
    }

    mutating func skipToLineEnd() {
        while i < s.count, !s[i].isNewline { i += 1 }
    }

    mutating func readKey() throws(ImportFile.ParseError) -> String {
        if i < s.count, s[i] == "'" {
            i += 1
            let start = i
            while i < s.count, s[i] != "'" { i += 1 }
            guard i < s.count else { throw fail("unterminated quoted key") }
            defer { i += 1 }
            return String(s[start..<i])
        }
        let start = i
        while i < s.count, s[i] != "=", s[i] != "#", !s[i].isWhitespace { i += 1 }
        guard i > start else { throw fail("expected a variable name") }
        return String(s[start..<i])
    }

    mutating func readValue() throws(ImportFile.ParseError) -> String {
        guard i < s.count, !s[i].isNewline else { return "" }
        let value: String
        if s[i] == "'" || s[i] == "\"" {
            let quote = s[i]
            let startLine = line
            i += 1
            var out = ""
            while true {
                guard i < s.count else {
                    line = startLine
                    throw fail("the value's \(quote == "'" ? "single" : "double") quote is never closed")
                }
                let c = s[i]
                if c == quote { i += 1; break }
                if c.isNewline { line += 1 }
                if c == "\\", i + 1 < s.count, let e = Self.escape(s[i + 1], inSingleQuotes: quote == "'") {
                    out.append(e)
                    i += 2
                    continue
                }
                out.append(c)
                i += 1
            }
            skipSpaces()
            if i < s.count, s[i] == "#" { skipToLineEnd() }
            guard i == s.count || s[i].isNewline else { throw fail("unexpected text after the closing quote") }
            value = out
        } else {
            let start = i
            skipToLineEnd()
            var text = String(s[start..<i])
            if let comment = text.firstRange(of: " #") ?? text.firstRange(of: "\t#") { text = String(text[..<comment.lowerBound]) }
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            value = text
        }
        return value
    }

    static func escape(_ c: Character, inSingleQuotes: Bool) -> Character? {
        if inSingleQuotes { return c == "\\" || c == "'" ? c : nil }
        switch c {
        case "\\", "'", "\"": return c
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        default: return nil
        }
    }
}
