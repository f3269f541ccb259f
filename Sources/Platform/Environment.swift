#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A snapshot of environment variables, passed around as a value so that every rule reading
/// them can be tested with a literal.
public struct Environment: Sendable, Equatable {
    public var variables: [String: String]

    public init(_ variables: [String: String] = [:]) { self.variables = variables }

    /// The process's environment now.
    public static func current() -> Environment {
        var vars: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                vars[String(s[..<eq])] = String(s[s.index(after: eq)...])
            }
            p += 1
        }
        return Environment(vars)
    }

    public subscript(name: String) -> String? { variables[name] }

    /// The value, unless unset or empty (the AWS tools treat an empty variable as unset).
    public func nonEmpty(_ name: String) -> String? {
        guard let v = variables[name], !v.isEmpty else { return nil }
        return v
    }

    /// `true`/`false` in any case; nil when unset or anything else.
    public func bool(_ name: String) -> Bool? {
        switch variables[name]?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}
