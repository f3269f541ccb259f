/// A minimal XML reader for AWS responses: elements, attributes, text, CDATA and the standard
/// entities. No DTDs, no namespaces beyond dropping a `prefix:` from names.
public struct XMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElement]
    /// The element's own text (concatenated), not that of its children.
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child with this name.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Text of the first child with this name.
    public subscript(_ name: String) -> String? { child(name)?.text }

    /// The first element with this name at any depth (depth-first, self included).
    public func first(_ name: String) -> XMLElement? {
        if self.name == name { return self }
        for c in children { if let found = c.first(name) { return found } }
        return nil
    }

    /// Follows a path of child names.
    public func path(_ names: String...) -> XMLElement? {
        var current: XMLElement? = self
        for n in names { current = current?.child(n) }
        return current
    }
}

public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "malformed XML at byte \(offset): \(reason)" }
}

public enum XMLDocument {
    /// Parses a document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLElement {
        var parser = Parser(b: bytes)
        return try parser.document()
    }

    public static func parse(_ text: String) throws(XMLParseError) -> XMLElement {
        try parse(Array(text.utf8))
    }

    /// Escapes text for use in element content or attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0
        var depth = 0

        init(b: [UInt8]) { self.b = b }

        func fail(_ reason: String) -> XMLParseError { XMLParseError(offset: i, reason: reason) }

        mutating func document() throws(XMLParseError) -> XMLElement {
            if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            try skipMisc()
            guard i < b.count, b[i] == UInt8(ascii: "<") else { throw fail("expected a root element") }
            let root = try element()
            try skipMisc()
            guard i == b.count else { throw fail("content after the root element") }
            return root
        }

        /// Whitespace, comments, processing instructions and a doctype.
        mutating func skipMisc() throws(XMLParseError) {
            while true {
                skipSpace()
                if starts("<?") { try skip(past: "?>") }
                else if starts("<!--") { try skip(past: "-->") }
                else if starts("<!DOCTYPE") { try skip(past: ">") }
                else { return }
            }
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        func starts(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
        }

        mutating func skip(past s: String) throws(XMLParseError) {
            let u = Array(s.utf8)
            while i + u.count <= b.count {
                if b[i] == u[0], Array(b[i..<(i + u.count)]) == u { i += u.count; return }
                i += 1
            }
            throw fail("unterminated construct, expected '\(s)'")
        }

        mutating func name() throws(XMLParseError) -> String {
            let start = i
            while i < b.count {
                let c = b[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") { break }
                i += 1
            }
            guard i > start else { throw fail("expected a name") }
            let full = String(decoding: b[start..<i], as: UTF8.self)
            if let colon = full.lastIndex(of: ":") { return String(full[full.index(after: colon)...]) }
            return full
        }

        mutating func element() throws(XMLParseError) -> XMLElement {
            depth += 1
            defer { depth -= 1 }
            guard depth < 256 else { throw fail("elements nested too deeply") }
            i += 1  // <
            var el = XMLElement(name: try name())
            // Attributes
            while true {
                skipSpace()
                guard i < b.count else { throw fail("unterminated start tag") }
                if b[i] == UInt8(ascii: "/") {
                    guard i + 1 < b.count, b[i + 1] == UInt8(ascii: ">") else { throw fail("expected '/>'") }
                    i += 2
                    return el
                }
                if b[i] == UInt8(ascii: ">") { i += 1; break }
                let attr = try name()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "=") else { throw fail("expected '=' after attribute") }
                i += 1
                skipSpace()
                guard i < b.count, b[i] == 0x22 || b[i] == 0x27 else { throw fail("expected a quoted attribute value") }
                let quote = b[i]
                i += 1
                let start = i
                while i < b.count, b[i] != quote { i += 1 }
                guard i < b.count else { throw fail("unterminated attribute value") }
                el.attributes[attr] = try decodeEntities(b[start..<i])
                i += 1
            }
            // Content
            var text = [UInt8]()
            while true {
                guard i < b.count else { throw fail("unterminated element <\(el.name)>") }
                if b[i] == UInt8(ascii: "<") {
                    if starts("</") {
                        i += 2
                        let closing = try name()
                        guard closing == el.name else { throw fail("</\(closing)> closes <\(el.name)>") }
                        skipSpace()
                        guard i < b.count, b[i] == UInt8(ascii: ">") else { throw fail("expected '>'") }
                        i += 1
                        el.text = String(decoding: text, as: UTF8.self)
                        return el
                    } else if starts("<![CDATA[") {
                        i += 9
                        let start = i
                        try skip(past: "]]>")
                        text.append(contentsOf: b[start..<(i - 3)])
                    } else if starts("<!--") {
                        try skip(past: "-->")
                    } else if starts("<?") {
                        try skip(past: "?>")
                    } else {
                        el.children.append(try element())
                    }
                } else {
                    let start = i
                    while i < b.count, b[i] != UInt8(ascii: "<") { i += 1 }
                    text.append(contentsOf: Array(try decodeEntities(b[start..<i]).utf8))
                }
            }
        }

        func decodeEntities(_ s: ArraySlice<UInt8>) throws(XMLParseError) -> String {
            guard s.contains(UInt8(ascii: "&")) else { return String(decoding: s, as: UTF8.self) }
            var out = [UInt8]()
            var j = s.startIndex
            while j < s.endIndex {
                guard s[j] == UInt8(ascii: "&") else { out.append(s[j]); j += 1; continue }
                guard let semi = s[j...].firstIndex(of: UInt8(ascii: ";")), semi - j <= 10 else { throw fail("bad entity reference") }
                let entity = String(decoding: s[(j + 1)..<semi], as: UTF8.self)
                switch entity {
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "amp": out.append(UInt8(ascii: "&"))
                case "quot": out.append(0x22)
                case "apos": out.append(0x27)
                default:
                    var scalarValue: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalarValue = UInt32(entity.dropFirst(2), radix: 16) }
                    else if entity.hasPrefix("#") { scalarValue = UInt32(entity.dropFirst()) }
                    guard let v = scalarValue, let scalar = Unicode.Scalar(v) else { throw fail("unknown entity &\(entity);") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
                j = semi + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
