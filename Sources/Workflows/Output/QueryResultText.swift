import AWSCore

/// A `--query` result in `--output text`, as the AWS CLI's text formatter (awscli/text.py)
/// prints any JSON: scalars as Python's `str` writes them (`True`, `None`), a list of scalars
/// on one tab-separated line, an object's scalar members on one line in key order and each
/// nested member after it under its upper-cased key, a list of objects one line each with the
/// union of their scalar keys as columns. Control characters are escaped, as in every format.
public enum QueryResultText {
    public static func render(_ value: JSONValue) -> String {
        var out = ""
        format(value, identifier: nil, scalarKeys: nil, to: &out)
        return out
    }

    static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number(let n): return n
        case .string(let s): return PrintableText.escaped(s)
        case .array, .object: return PrintableText.escaped(v.serialized())
        }
    }

    private static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .array, .object: return false
        default: return true
        }
    }

    private static func format(_ value: JSONValue, identifier: String?, scalarKeys: [String]?, to out: inout String) {
        switch value {
        case .object(let members): formatObject(members, identifier: identifier, scalarKeys: scalarKeys, to: &out)
        case .array(let items): formatList(items, identifier: identifier, to: &out)
        default: out += scalar(value) + "\n"
        }
    }

    private static func formatList(_ items: [JSONValue], identifier: String?, to out: inout String) {
        guard !items.isEmpty else { return }
        if items.contains(where: { if case .object = $0 { return true } else { return false } }) {
            var keys = Set<String>()
            for case .object(let members) in items { for (k, v) in members where isScalar(v) { keys.insert(k) } }
            let columns = keys.sorted(by: codePointOrder)
            for item in items { format(item, identifier: identifier, scalarKeys: columns, to: &out) }
        } else if items.contains(where: { if case .array = $0 { return true } else { return false } }) {
            let scalars = items.filter(isScalar)
            if !scalars.isEmpty { formatScalars(scalars, identifier: identifier, to: &out) }
            for item in items where !isScalar(item) { format(item, identifier: identifier, scalarKeys: nil, to: &out) }
        } else {
            formatScalars(items, identifier: identifier, to: &out)
        }
    }

    private static func formatScalars(_ items: [JSONValue], identifier: String?, to out: inout String) {
        if let identifier {
            for item in items { out += identifier.uppercased() + "\t" + scalar(item) + "\n" }
        } else {
            out += items.map(scalar).joined(separator: "\t") + "\n"
        }
    }

    private static func formatObject(_ members: [(String, JSONValue)], identifier: String?, scalarKeys: [String]?, to out: inout String) {
        var scalars: [String] = []
        var nested: [(String, JSONValue)] = []
        let sorted = members.sorted { codePointOrder($0.0, $1.0) }
        if let scalarKeys {
            for key in scalarKeys { scalars.append(members.last { $0.0 == key }.map { scalar($0.1) } ?? "") }
            nested = sorted.filter { !scalarKeys.contains($0.0) }
        } else {
            for (key, value) in sorted {
                if isScalar(value) { scalars.append(scalar(value)) } else { nested.append((key, value)) }
            }
        }
        if !scalars.isEmpty {
            if let identifier { scalars.insert(identifier.uppercased(), at: 0) }
            out += scalars.joined(separator: "\t") + "\n"
        }
        for (key, value) in nested { format(value, identifier: PrintableText.escaped(key), scalarKeys: nil, to: &out) }
    }

    /// Python's `sorted` on strings: by code point.
    static func codePointOrder(_ a: String, _ b: String) -> Bool { a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) }
}
