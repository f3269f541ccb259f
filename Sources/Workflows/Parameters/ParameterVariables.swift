import AWSClients
import AWSCore

/// The formats of `params export`.
public enum ParameterExportFormat: String, CaseIterable, Sendable {
    /// `NAME='value'` lines that python-dotenv, docker compose and `set -a; . ./.env` read back exactly.
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

    public init() {}

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
            if let i = variables.firstIndex(where: { $0.name == name }) {
                variables[i].value = p.value
            } else {
                variables.append((name, p.value))
            }
        }
    }

    public func render(_ format: ParameterExportFormat) -> String {
        switch format {
        case .dotenv:
            return variables.map { "\($0.name)=\(CredentialExport.backslashQuoted($0.value))\n" }.joined()
        case .env:
            return variables.map { "export \($0.name)=\(CredentialExport.shellQuoted($0.value))\n" }.joined()
        case .json:
            return JSONValue.object(variables.map { ($0.name, .string($0.value)) }).serialized(pretty: true) + "\n"
        case .yaml:
            if variables.isEmpty { return "{}\n" }
            return variables.map { "\(Self.yamlQuoted($0.name)): \(Self.yamlQuoted($0.value))\n" }.joined()
        }
    }

    /// A YAML double-quoted scalar: JSON's escapes, plus DEL and the C1 controls, which YAML
    /// does not allow unescaped.
    static func yamlQuoted(_ s: String) -> String {
        var out = JSONValue.string(s).serialized()
        if out.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) {
            var escaped = ""
            for c in out.unicodeScalars {
                if (0x7F...0x9F).contains(c.value) {
                    let hex = String(c.value, radix: 16)
                    escaped += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    escaped.unicodeScalars.append(c)
                }
            }
            out = escaped
        }
        return out
    }
}
