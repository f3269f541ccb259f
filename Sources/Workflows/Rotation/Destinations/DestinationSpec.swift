import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// Where `credctl rotate --to DEST` puts the new key, as the user wrote it:
///
///     profile:NAME                     a profile of the shared credentials file
///     vault:PROFILE                    an entry of credctl's vault
///     secretsmanager:ID[?id=F&secret=G] two fields of a JSON secret (default AccessKeyId, SecretAccessKey)
///     ssm:/PATH                        PATH/AWS_ACCESS_KEY_ID and PATH/AWS_SECRET_ACCESS_KEY
///     exec:CMD                         CMD run by /bin/sh with the key as JSON on stdin
public enum DestinationSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    case profile(String)
    case vault(String)
    case secretsManager(id: String, idField: String, secretField: String)
    case parameterStore(path: String)
    case command(String)

    public static let defaultIdField = "AccessKeyId"
    public static let defaultSecretField = "SecretAccessKey"
    public static let kinds = "profile:NAME, vault:PROFILE, secretsmanager:ID, ssm:/PATH or exec:CMD"

    /// Reads `--to` text; every rule that can be checked offline is (exit 2, nothing called).
    public init(parsing text: String) throws(ConfigurationError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError("--to '\(PrintableText.escaped(FileExcerpt.of(text)))' names no destination kind: give \(Self.kinds)")
        }
        let kind = String(text[..<colon]), rest = String(text[text.index(after: colon)...])
        switch kind {
        case "profile":
            if let problem = SharedFileRules.profileNameProblem(rest) { throw ConfigurationError("--to \(kind): \(problem)") }
            self = .profile(rest)
        case "vault":
            if let problem = SharedFileRules.profileNameProblem(rest) { throw ConfigurationError("--to \(kind): \(problem)") }
            self = .vault(rest)
        case "secretsmanager":
            self = try Self.secret(rest)
        case "ssm":
            let path = rest.hasSuffix("/") && rest.count > 1 ? String(rest.dropLast()) : rest
            if let problem = SSMParameterRules.pathProblem(path) { throw ConfigurationError("--to ssm: \(problem)") }
            guard path != "/" else { throw ConfigurationError("--to ssm: give a path under the root, such as ssm:/grafana/dynamodb") }
            for name in [path + "/" + Self.parameterIdName, path + "/" + Self.parameterSecretName] {
                if let problem = SSMParameterRules.nameProblem(name) { throw ConfigurationError("--to ssm: \(problem)") }
            }
            self = .parameterStore(path: path)
        case "exec":
            guard !rest.trimmingSpaces().isEmpty else { throw ConfigurationError("--to exec: give the command to run, such as exec:'./update-grafana.sh'") }
            guard !rest.unicodeScalars.contains("\u{0}") else { throw ConfigurationError("--to exec: the command holds a NUL byte") }
            self = .command(rest)
        default:
            throw ConfigurationError("--to '\(PrintableText.escaped(FileExcerpt.of(text)))': unknown destination kind '\(PrintableText.escaped(FileExcerpt.of(kind)))'; give \(Self.kinds)")
        }
    }

    public static let parameterIdName = "AWS_ACCESS_KEY_ID"
    public static let parameterSecretName = "AWS_SECRET_ACCESS_KEY"

    /// `ID` or `ID?id=FIELD&secret=FIELD` (secret names and ARNs never hold `?`).
    static func secret(_ text: String) throws(ConfigurationError) -> DestinationSpec {
        var id = text, idField = defaultIdField, secretField = defaultSecretField
        if let q = text.firstIndex(of: "?") {
            id = String(text[..<q])
            for pair in text[text.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty, !parts[1].unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw ConfigurationError("--to secretsmanager: '\(PrintableText.escaped(FileExcerpt.of(String(pair))))' is not id=FIELD or secret=FIELD")
                }
                switch parts[0] {
                case "id": idField = parts[1]
                case "secret": secretField = parts[1]
                default: throw ConfigurationError("--to secretsmanager: unknown setting '\(PrintableText.escaped(FileExcerpt.of(parts[0])))' (id=FIELD or secret=FIELD)")
                }
            }
        }
        guard !id.isEmpty, id.utf8.count <= 2048, !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " }) else {
            throw ConfigurationError("--to secretsmanager: give a secret name or ARN without spaces or control characters")
        }
        guard idField != secretField else { throw ConfigurationError("--to secretsmanager: the key id and the secret need two different fields") }
        return .secretsManager(id: id, idField: idField, secretField: secretField)
    }

    public var description: String {
        switch self {
        case .profile(let name): return "profile:\(name)"
        case .vault(let name): return "vault:\(name)"
        case .secretsManager(let id, let idField, let secretField):
            let custom = idField == Self.defaultIdField && secretField == Self.defaultSecretField
            return "secretsmanager:\(id)" + (custom ? "" : "?id=\(idField)&secret=\(secretField)")
        case .parameterStore(let path): return "ssm:\(path)"
        case .command(let command): return "exec:\(command)"
        }
    }
}

/// An access key with its secret, as a destination holds it.
public struct AccessKeyPair: Sendable, Equatable {
    public var id: String
    public var secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    public var signing: SigningCredentials { SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: nil) }

    /// What a delivery or verification command reads on stdin.
    func json(user: String) -> [UInt8] {
        Array(JSONValue.object([("AccessKeyId", .string(id)), ("SecretAccessKey", .string(secret)), ("UserName", .string(user))]).serialized().utf8)
    }
}

/// What a destination holds now.
public enum DestinationHolding: Sendable, Equatable {
    case key(AccessKeyPair)
    /// Nothing yet (no fields, no parameters): the new key is added.
    case nothing
    /// A command: what the consumer holds cannot be read.
    case unknown

    var keyId: String? { if case .key(let k) = self { return k.id } else { return nil } }
}
