import AWSCore

/// JMESPath's view of JSON values: truth, equality, order and types, as jmespath.py (and
/// Python's own comparisons under it) define them. Numbers keep their text; they are compared
/// as integers when both are integers, otherwise as doubles.
enum Values {
    /// False, null, "", [] and {} are false; everything else (0 included) is true.
    static func isTrue(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        case .number: return true
        }
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Deep equality: strings by code point, numbers by value, objects whatever their order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return compareNumbers(x, y) == 0
        case let (.string(x), .string(y)): return sameText(x, y)
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)):
            let left = members(x), right = members(y)
            return left.count == right.count && left.allSatisfy { key, value in
                guard let other = lookup(right, key) else { return false }
                return equal(value, other)
            }
        default: return false
        }
    }

    /// Python's string equality: code point by code point (Swift's `==` would also equate
    /// canonically equivalent strings).
    static func sameText(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    /// Python's string order: by code point.
    static func textOrder(_ a: String, _ b: String) -> Int {
        var x = a.unicodeScalars.makeIterator(), y = b.unicodeScalars.makeIterator()
        while true {
            switch (x.next(), y.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (p?, q?): if p != q { return p.value < q.value ? -1 : 1 }
            }
        }
    }

    static func compareNumbers(_ a: String, _ b: String) -> Int {
        if let x = Int(a), let y = Int(b) { return x == y ? 0 : (x < y ? -1 : 1) }
        let x = Double(a) ?? .nan, y = Double(b) ?? .nan
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    /// The order of two numbers or two strings; nil for anything else (an ordering comparison
    /// of other types is null).
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case let (.number(x), .number(y)): return compareNumbers(x, y)
        case let (.string(x), .string(y)): return textOrder(x, y)
        default: return nil
        }
    }

    /// An object's members as a Python dict holds them: a repeated key keeps its first place
    /// and its last value.
    static func members(_ object: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for (key, value) in object {
            if let k = out.firstIndex(where: { sameText($0.0, key) }) { out[k].1 = value } else { out.append((key, value)) }
        }
        return out
    }

    static func lookup(_ object: [(String, JSONValue)], _ key: String) -> JSONValue? {
        object.last { sameText($0.0, key) }?.1
    }

    /// A number computed from others: an integer when it is one, else the double's shortest text.
    static func number(_ d: Double) -> JSONValue { .number(d.description) }

    static func integer(_ n: Int) -> JSONValue { .number(String(n)) }
}
