import AWSCore

/// What a function accepts, checked before it runs as jmespath.py checks it: the number of
/// arguments (invalid-arity) and each argument's type (invalid-type).
struct FunctionSignature {
    enum ArgumentType: String {
        case any, number, string, boolean, array, object, null, expression = "expref"
        case arrayOfNumbers = "array-number", arrayOfStrings = "array-string"
    }

    /// Each parameter's accepted types.
    var parameters: [[ArgumentType]]
    /// The last parameter repeats (`merge`, `not_null`).
    var variadic = false

    func check(_ name: String, _ arguments: [Argument]) throws(JMESPathError) {
        if variadic ? arguments.count < parameters.count : arguments.count != parameters.count {
            let wanted = variadic ? "at least \(parameters.count)" : "\(parameters.count)"
            throw JMESPathError(.invalidArity, "\(name)() takes \(wanted) argument(s), \(arguments.count) given")
        }
        for (k, argument) in arguments.enumerated() {
            let allowed = parameters[min(k, parameters.count - 1)]
            guard !allowed.contains(.any) else {
                if case .expression = argument { throw typeError(name, "expref", allowed) }
                continue
            }
            try check(name, argument, allowed)
        }
    }

    private func check(_ name: String, _ argument: Argument, _ allowed: [ArgumentType]) throws(JMESPathError) {
        let value: JSONValue
        switch argument {
        case .expression:
            guard allowed.contains(.expression) else { throw typeError(name, "expref", allowed) }
            return
        case .value(let v): value = v
        }
        let actual = Values.typeName(value)
        let elementTypes = allowed.compactMap { t -> String? in
            switch t {
            case .arrayOfNumbers: return "number"
            case .arrayOfStrings: return "string"
            default: return nil
            }
        }
        if allowed.contains(where: { $0.rawValue == actual }) { return }
        guard case .array(let items) = value, !elementTypes.isEmpty else { throw typeError(name, actual, allowed) }
        // An array of one element type: the first element decides which of the allowed ones.
        guard let first = items.first else { return }
        let wanted = Values.typeName(first)
        guard elementTypes.contains(wanted) else { throw typeError(name, "array containing \(wanted)", allowed) }
        for item in items where Values.typeName(item) != wanted {
            throw typeError(name, "array containing \(Values.typeName(item))", allowed)
        }
    }

    private func typeError(_ name: String, _ actual: String, _ allowed: [ArgumentType]) -> JMESPathError {
        JMESPathError(.invalidType, "\(name)() expects \(allowed.map(\.rawValue).joined(separator: " or ")), got \(actual)")
    }
}
