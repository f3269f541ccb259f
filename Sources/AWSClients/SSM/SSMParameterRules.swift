/// Parameter Store's rules for names, paths and values, checked before any call so that a bad
/// name is a usage error (exit 2) naming the rule, and nothing is written.
public enum SSMParameterRules {
    public static let maxNameLength = 1011
    public static let maxLevels = 15
    public static let maxDescriptionLength = 1024

    /// A full parameter name: `NAME` or `/A/B/NAME`.
    public static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "a parameter name cannot be empty" }
        guard name.count <= maxNameLength else { return "'\(name.prefix(40))…' is longer than \(maxNameLength) characters" }
        if let bad = name.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return "'\(name)' holds '\(bad)': parameter names may hold only letters, digits, '_', '.', '-' and '/'"
        }
        if name.contains("/") {
            guard name.hasPrefix("/") else { return "'\(name)' contains '/' so must start with '/' (a fully qualified name)" }
            guard !name.hasSuffix("/") else { return "'\(name)' ends with '/': that is a path, not a parameter name" }
            guard !name.contains("//") else { return "'\(name)' has an empty level ('//')" }
        }
        let levels = name.split(separator: "/").count
        guard levels <= maxLevels else { return "'\(name)' has \(levels) levels; Parameter Store allows at most \(maxLevels)" }
        if let prefix = reservedPrefix(name) {
            return "'\(name)' starts with '\(prefix)': names prefixed with 'aws' or 'ssm' (any case) are reserved by AWS"
        }
        return nil
    }

    /// A path for `GetParametersByPath`/`DescribeParameters`: `/`, `/A/B` or `/A/B/`.
    public static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "'\(path)' is not a path: paths start with '/'" }
        guard path.count <= maxNameLength else { return "'\(path.prefix(40))…' is longer than \(maxNameLength) characters" }
        if let bad = path.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return "'\(path)' holds '\(bad)': paths may hold only letters, digits, '_', '.', '-' and '/'"
        }
        guard !path.contains("//") else { return "'\(path)' has an empty level ('//')" }
        let levels = path.split(separator: "/").count
        guard levels <= maxLevels else { return "'\(path)' has \(levels) levels; Parameter Store allows at most \(maxLevels)" }
        return nil
    }

    public static func valueProblem(_ value: String, tier: ParameterTier?) -> String? {
        let bytes = value.utf8.count
        guard bytes > 0 else { return "the value is empty; Parameter Store needs at least one character" }
        // A NUL cannot reach a process's environment or a shell, and C consumers cut the value there.
        if value.utf8.contains(0) { return "the value contains a NUL byte, which no environment variable or shell can hold" }
        let tier = tier ?? .standard
        guard bytes <= tier.maxValueBytes else {
            let hint = tier == .standard ? " (use --tier Advanced for up to 8192)" : ""
            return "the value is \(bytes) bytes; the \(tier.rawValue) tier allows at most \(tier.maxValueBytes)\(hint)"
        }
        return nil
    }

    public static func descriptionProblem(_ description: String) -> String? {
        description.count <= maxDescriptionLength ? nil : "the description is \(description.count) characters; at most \(maxDescriptionLength)"
    }

    /// A label: 1–100 characters of letters, digits, `.`, `-`, `_`; not starting with a digit, `aws` or `ssm`.
    public static func labelProblem(_ label: String) -> String? {
        guard (1...100).contains(label.count),
              label.unicodeScalars.allSatisfy({ isNameCharacter($0) && $0 != "/" }),
              !(label.first?.isNumber ?? true), reservedPrefix(label) == nil else {
            return "'\(label)' is not a label: 1 to 100 letters, digits, '.', '-' or '_', not starting with a digit, 'aws' or 'ssm'"
        }
        return nil
    }

    static func reservedPrefix(_ name: String) -> String? {
        let first = name.drop { $0 == "/" }.lowercased()
        for prefix in ["aws", "ssm"] where first.hasPrefix(prefix) { return String(name.drop { $0 == "/" }.prefix(3)) }
        return nil
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "." || c == "-" || c == "/"
    }
}
