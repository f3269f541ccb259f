import AWSCore

/// Evaluates a compiled expression against a JSON value, node by node, as jmespath.py's tree
/// interpreter does.
enum Interpreter {
    static func evaluate(_ node: Node, _ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch node {
        case .current: return value
        case .field(let name):
            guard case .object(let members) = value else { return .null }
            return Values.lookup(members, name) ?? .null
        case .subexpression(let left, let right), .indexExpression(let left, let right), .pipe(let left, let right):
            return try evaluate(right, try evaluate(left, value))
        case .index(let index):
            guard case .array(let items) = value else { return .null }
            let k = index < 0 ? items.count + index : index
            return items.indices.contains(k) ? items[k] : .null
        case .slice(let start, let stop, let step):
            guard case .array(let items) = value else { return .null }
            return .array(try Slice.apply(items, start: start, stop: stop, step: step))
        case .literal(let v): return v
        case .multiSelectList(let items):
            if case .null = value { return .null }
            var out: [JSONValue] = []
            for item in items { out.append(try evaluate(item, value)) }
            return .array(out)
        case .multiSelectHash(let pairs):
            if case .null = value { return .null }
            var out: [(String, JSONValue)] = []
            for pair in pairs { out.append((pair.key, try evaluate(pair.value, value))) }
            return .object(Values.members(out))
        case .comparison(let comparator, let left, let right):
            return compare(comparator, try evaluate(left, value), try evaluate(right, value))
        case .or(let left, let right):
            let l = try evaluate(left, value)
            return Values.isTrue(l) ? l : try evaluate(right, value)
        case .and(let left, let right):
            let l = try evaluate(left, value)
            return Values.isTrue(l) ? try evaluate(right, value) : l
        case .not(let inner):
            return .bool(!Values.isTrue(try evaluate(inner, value)))
        case .projection(let left, let right):
            guard case .array(let items) = try evaluate(left, value) else { return .null }
            return try project(items, right)
        case .valueProjection(let left, let right):
            guard case .object(let members) = try evaluate(left, value) else { return .null }
            return try project(Values.members(members).map(\.1), right)
        case .filterProjection(let left, let right, let condition):
            guard case .array(let items) = try evaluate(left, value) else { return .null }
            var kept: [JSONValue] = []
            for item in items where Values.isTrue(try evaluate(condition, item)) { kept.append(item) }
            return try project(kept, right)
        case .flatten(let inner):
            guard case .array(let items) = try evaluate(inner, value) else { return .null }
            var out: [JSONValue] = []
            for item in items {
                if case .array(let nested) = item { out += nested } else { out.append(item) }
            }
            return .array(out)
        case .function(let name, let argumentNodes):
            var arguments: [Argument] = []
            for node in argumentNodes {
                if case .expressionReference(let inner) = node { arguments.append(.expression(inner)) }
                else { arguments.append(.value(try evaluate(node, value))) }
            }
            return try Functions.call(name, arguments)
        case .expressionReference:
            // Only a function's argument can use an expression reference.
            return .null
        }
    }

    /// The right side over each element; nulls are left out.
    private static func project(_ items: [JSONValue], _ right: Node) throws(JMESPathError) -> JSONValue {
        var out: [JSONValue] = []
        for item in items {
            let v = try evaluate(right, item)
            if case .null = v { continue }
            out.append(v)
        }
        return .array(out)
    }

    private static func compare(_ comparator: Node.Comparator, _ a: JSONValue, _ b: JSONValue) -> JSONValue {
        switch comparator {
        case .eq: return .bool(Values.equal(a, b))
        case .ne: return .bool(!Values.equal(a, b))
        default:
            guard let order = Values.order(a, b) else { return .null }
            switch comparator {
            case .lt: return .bool(order < 0)
            case .lte: return .bool(order <= 0)
            case .gt: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }
}

/// A function's argument: a value, or an expression it evaluates itself.
enum Argument {
    case value(JSONValue)
    case expression(Node)
}

/// Python's list slicing (`items[start:stop:step]`).
enum Slice {
    static func apply<T>(_ items: [T], start: Int?, stop: Int?, step: Int?) throws(JMESPathError) -> [T] {
        let step = step ?? 1
        guard step != 0 else { throw JMESPathError(.invalidValue, "a slice's step cannot be 0") }
        let n = items.count
        func clamp(_ v: Int?, _ forward: Int, _ backward: Int) -> Int {
            guard var v else { return step > 0 ? forward : backward }
            if v < 0 { v += n }
            if step > 0 { return min(max(v, 0), n) }
            return min(max(v, -1), n - 1)
        }
        var k = clamp(start, 0, n - 1)
        let end = clamp(stop, n, -1)
        var out: [T] = []
        while step > 0 ? k < end : k > end {
            out.append(items[k])
            k += step
        }
        return out
    }
}
