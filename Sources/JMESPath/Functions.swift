import AWSCore

/// JMESPath's built-in functions, each as jmespath.py defines it.
enum Functions {
    private typealias T = FunctionSignature.ArgumentType

    private static let signatures: [String: FunctionSignature] = [
        "abs": .init(parameters: [[.number]]),
        "avg": .init(parameters: [[.arrayOfNumbers]]),
        "ceil": .init(parameters: [[.number]]),
        "contains": .init(parameters: [[.array, .string], [.any]]),
        "ends_with": .init(parameters: [[.string], [.string]]),
        "floor": .init(parameters: [[.number]]),
        "join": .init(parameters: [[.string], [.arrayOfStrings]]),
        "keys": .init(parameters: [[.object]]),
        "length": .init(parameters: [[.string, .array, .object]]),
        "map": .init(parameters: [[.expression], [.array]]),
        "max": .init(parameters: [[.arrayOfNumbers, .arrayOfStrings]]),
        "max_by": .init(parameters: [[.array], [.expression]]),
        "merge": .init(parameters: [[.object]], variadic: true),
        "min": .init(parameters: [[.arrayOfNumbers, .arrayOfStrings]]),
        "min_by": .init(parameters: [[.array], [.expression]]),
        "not_null": .init(parameters: [[.any]], variadic: true),
        "reverse": .init(parameters: [[.array, .string]]),
        "sort": .init(parameters: [[.arrayOfStrings, .arrayOfNumbers]]),
        "sort_by": .init(parameters: [[.array], [.expression]]),
        "starts_with": .init(parameters: [[.string], [.string]]),
        "sum": .init(parameters: [[.arrayOfNumbers]]),
        "to_array": .init(parameters: [[.any]]),
        "to_number": .init(parameters: [[.any]]),
        "to_string": .init(parameters: [[.any]]),
        "type": .init(parameters: [[.any]]),
        "values": .init(parameters: [[.object]]),
    ]

    static func call(_ name: String, _ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        guard let signature = signatures[name] else { throw JMESPathError(.unknownFunction, "unknown function: \(name)()") }
        try signature.check(name, arguments)
        let values = arguments.map { argument -> JSONValue in
            if case .value(let v) = argument { return v }
            return .null
        }
        func expression(_ k: Int) -> Node {
            if case .expression(let node) = arguments[k] { return node }
            return .current
        }
        switch name {
        case "abs": return Numbers.absolute(values[0])
        case "avg": return Numbers.average(values[0].arrayValue ?? [])
        case "ceil": return Numbers.rounded(values[0], up: true)
        case "floor": return Numbers.rounded(values[0], up: false)
        case "sum": return Numbers.sum(values[0].arrayValue ?? [])
        case "to_number": return Numbers.parse(values[0])
        case "contains": return .bool(contains(values[0], values[1]))
        case "starts_with", "ends_with":
            guard case .string(let subject) = values[0], case .string(let part) = values[1] else { return .null }
            let s = Array(subject.unicodeScalars), p = Array(part.unicodeScalars)
            guard p.count <= s.count else { return .bool(false) }
            return .bool(name == "starts_with" ? Array(s.prefix(p.count)) == p : Array(s.suffix(p.count)) == p)
        case "join":
            let parts = (values[1].arrayValue ?? []).compactMap(\.stringValue)
            return .string(parts.joined(separator: values[0].stringValue ?? ""))
        case "keys", "values":
            guard case .object(let members) = values[0] else { return .null }
            let all = Values.members(members)
            return .array(name == "keys" ? all.map { .string($0.0) } : all.map(\.1))
        case "length":
            switch values[0] {
            case .string(let s): return Values.integer(s.unicodeScalars.count)
            case .array(let a): return Values.integer(a.count)
            case .object(let o): return Values.integer(Values.members(o).count)
            default: return .null
            }
        case "map":
            var out: [JSONValue] = []
            for item in values[1].arrayValue ?? [] { out.append(try Interpreter.evaluate(expression(0), item)) }
            return .array(out)
        case "max", "min":
            let items = values[0].arrayValue ?? []
            guard var best = items.first else { return .null }
            for item in items.dropFirst() {
                let order = Values.order(item, best) ?? 0
                if name == "max" ? order > 0 : order < 0 { best = item }
            }
            return best
        case "max_by", "min_by":
            return try Ordering.extreme(values[0].arrayValue ?? [], by: expression(1), name: name, greatest: name == "max_by")
        case "sort": return .array(Ordering.sorted(values[0].arrayValue ?? []) { $0 })
        case "sort_by": return .array(try Ordering.sorted(values[0].arrayValue ?? [], by: expression(1)))
        case "merge":
            var merged: [(String, JSONValue)] = []
            for case .object(let members) in values { merged += members }
            return .object(Values.members(merged))
        case "not_null": return values.first { if case .null = $0 { return false } else { return true } } ?? .null
        case "reverse":
            if case .string(let s) = values[0] { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
            return .array((values[0].arrayValue ?? []).reversed())
        case "to_array":
            if case .array = values[0] { return values[0] }
            return .array([values[0]])
        case "to_string":
            if case .string = values[0] { return values[0] }
            return .string(PythonJSON.compact(values[0]))
        case "type": return .string(Values.typeName(values[0]))
        default: throw JMESPathError(.unknownFunction, "unknown function: \(name)()")
        }
    }

    private static func contains(_ subject: JSONValue, _ search: JSONValue) -> Bool {
        switch subject {
        case .array(let items): return items.contains { Values.equal($0, search) }
        case .string(let s):
            guard case .string(let part) = search else { return false }
            if part.isEmpty { return true }
            let hay = Array(s.unicodeScalars), needle = Array(part.unicodeScalars)
            guard needle.count <= hay.count else { return false }
            return (0...(hay.count - needle.count)).contains { Array(hay[$0..<($0 + needle.count)]) == needle }
        default: return false
        }
    }
}
