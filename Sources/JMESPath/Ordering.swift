import AWSCore

/// `sort`, `sort_by`, `max_by`, `min_by`: stable orders on numbers or strings, with the key
/// types checked as jmespath.py checks them.
enum Ordering {
    /// A stable sort of items whose keys are all numbers or all strings.
    static func sorted(_ items: [JSONValue], key: (JSONValue) -> JSONValue) -> [JSONValue] {
        let keyed = items.enumerated().map { (k: $0.offset, key: key($0.element), item: $0.element) }
        return keyed.sorted { a, b in
            let order = Values.order(a.key, b.key) ?? 0
            return order != 0 ? order < 0 : a.k < b.k
        }.map(\.item)
    }

    static func sorted(_ items: [JSONValue], by expression: Node) throws(JMESPathError) -> [JSONValue] {
        guard let first = items.first else { return [] }
        let wanted = Values.typeName(try Interpreter.evaluate(expression, first))
        guard wanted == "number" || wanted == "string" else {
            throw JMESPathError(.invalidType, "sort_by() expects keys that are numbers or strings, got \(wanted)")
        }
        let keys = try self.keys(items, expression, name: "sort_by", allowed: [wanted])
        var index = 0
        return sorted(items) { _ in defer { index += 1 }; return keys[index] }
    }

    static func extreme(_ items: [JSONValue], by expression: Node, name: String, greatest: Bool) throws(JMESPathError) -> JSONValue {
        guard !items.isEmpty else { return .null }
        let keys = try self.keys(items, expression, name: name, allowed: ["number", "string"])
        var best = 0
        for k in 1..<keys.count {
            let order = Values.order(keys[k], keys[best]) ?? 0
            if greatest ? order > 0 : order < 0 { best = k }
        }
        return items[best]
    }

    private static func keys(_ items: [JSONValue], _ expression: Node, name: String, allowed: [String]) throws(JMESPathError) -> [JSONValue] {
        var keys: [JSONValue] = []
        for item in items {
            let key = try Interpreter.evaluate(expression, item)
            guard allowed.contains(Values.typeName(key)) else {
                throw JMESPathError(.invalidType, "\(name)() expects keys of type \(allowed.joined(separator: " or ")), got \(Values.typeName(key))")
            }
            keys.append(key)
        }
        return keys
    }
}
