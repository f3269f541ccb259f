import AWSClients
import AWSCore

/// The formats of `params export`.
public enum ParameterExportFormat: String, CaseIterable, Sendable {
    /// `NAME="value"` lines that python-dotenv reads back exactly (`DotenvValue`).
    case dotenv
    /// `export NAME='value'` lines for POSIX shells.
    case env
    /// One JSON object of names and values.
    case json
    /// One YAML mapping of names and values (double-quoted scalars).
    case yaml
}

/// A parameter hierarchy as environment variables.
///
/// The naming rule: a parameter's name relative to the exported path, with `/`, `.` and `-`
/// replaced by `_` and letters upper-cased, and `_` put in front of a leading digit. So under
/// `/ELASMETRICS/STAGING/MYSQL`, `/ELASMETRICS/STAGING/MYSQL/PASSWORD` is `PASSWORD`, and under
/// `/ELASMETRICS/STAGING` (recursive) it is `MYSQL_PASSWORD`; `/app/db-url` under `/app` is
/// `DB_URL`. Two parameters of one path that map to the same variable are an error. When
/// several paths are exported, a later path's variable replaces an earlier one's.
public struct ParameterVariables: Sendable {
    public private(set) var variables: [(name: String, value: String)] = []
    /// Names the user allowed despite `EnvironmentNameRules` (`--allow-variable`).
    public let allowed: Set<String>

    public init(allowing allowed: Set<String> = []) { self.allowed = allowed }

    /// The variable name for a parameter name relative to its path.
    public static func variableName(forRelativeName relative: String) -> String {
        var out = ""
        for c in relative.unicodeScalars {
            switch c {
            case "/", ".", "-": out += "_"
            case "a"..."z": out.unicodeScalars.append(Unicode.Scalar(c.value - 32)!)
            default: out.unicodeScalars.append(c)
            }
        }
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "_" + out }
        return out
    }

    /// Adds the parameters read from `path`, replacing variables of earlier paths.
    /// Throws when two of them map to one variable.
    public mutating func add(_ parameters: [Parameter], from path: String) throws(AWSError) {
        var seen: [String: String] = [:]
        for p in parameters.sorted(by: { $0.name < $1.name }) {
            let name = Self.variableName(forRelativeName: ParameterRoot.relativeName(p.name, under: path))
            if let other = seen[name] {
                throw .configuration(ConfigurationError(
                    "\(other) and \(p.name) both become \(name); export their paths separately or rename one"))
            }
            seen[name] = p.name
            if !allowed.contains(name), let problem = EnvironmentNameRules.problem(name) {
                throw .configuration(ConfigurationError(
                    "\(p.name) would be exported as \(name), which is refused: \(problem). Nothing was exported or run; rename the parameter, or pass --allow-variable \(name) if it is meant"))
            }
            if p.value.utf8.contains(0) {
                throw .configuration(ConfigurationError("\(p.name) holds a NUL byte, which no environment variable can hold; nothing was exported or run"))
            }
            if let i = variables.firstIndex(where: { $0.name == name }) {
                variables[i].value = p.value
            } else {
                variables.append((name, p.value))
            }
        }
    }

    public func render(_ format: ParameterExportFormat) throws(AWSError) -> String {
        switch format {
        case .dotenv:
            // What python-dotenv cannot read back exactly is refused rather than changed.
            for v in variables {
                if let problem = DotenvValue.problem(v.value) {
                    throw .configuration(ConfigurationError(
                        "the value of \(v.name) \(problem); nothing was exported. Use --format env or json"))
                }
            }
            return variables.map { "\($0.name)=\(DotenvValue.written($0.value))\n" }.joined()
        case .env:
            return variables.map { "export \($0.name)=\(CredentialExport.shellQuoted($0.value))\n" }.joined()
        case .json:
            return JSONValue.object(variables.map { ($0.name, .string($0.value)) }).serialized(pretty: true) + "\n"
        case .yaml:
            if variables.isEmpty { return "{}\n" }
            return variables.map { "\(Self.yamlQuoted($0.name)): \(Self.yamlQuoted($0.value))\n" }.joined()
        }
    }

    /// A YAML double-quoted scalar: JSON's escapes, plus what YAML would not keep unescaped:
    /// DEL and the C1 controls, the line and paragraph separators and the byte-order mark.
    static func yamlQuoted(_ s: String) -> String {
        let out = JSONValue.string(s).serialized()
        guard out.unicodeScalars.contains(where: yamlNeedsEscape) else { return out }
        var escaped = ""
        for c in out.unicodeScalars {
            if yamlNeedsEscape(c) {
                let hex = String(c.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                escaped.unicodeScalars.append(c)
            }
        }
        return escaped
    }

    static func yamlNeedsEscape(_ c: Unicode.Scalar) -> Bool {
        (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029 || c.value == 0xFEFF
    }
}
