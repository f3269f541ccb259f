import AWSConfig
import AWSCore
import Vault

/// What a client asks the agent for: the credentials of a vault entry (what `vault
/// credential-process` prints) or of a profile through the whole chain (what every other
/// command signs with), resolved with the client's own environment and global options.
public struct AgentCredentialRequest: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// `vault credential-process --profile P`: the vault entry P.
        case vault
        /// The chain, as the command would run it.
        case chain
    }

    public var source: Source
    public var profile: String?
    public var region: String?
    public var mfaCode: String?
    public var vaultBackend: VaultBackendKind?
    /// The client's environment, less the passphrase variables (the client answers those itself).
    public var environment: [String: String]

    /// Variables the client keeps: a passphrase goes to the agent only when the agent asks for one.
    static let keptByClient: Set<String> = [PassphraseSource.variable, PassphraseSource.commandVariable]
    /// Variables naming files or folders: a relative one is made absolute here, since the agent
    /// runs in a folder of its own.
    static let paths: Set<String> = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", SettingNames.webIdentityTokenFile,
                                     SettingNames.containerTokenFile, SettingNames.caBundle, SettingNames.cacheDirectory,
                                     SettingNames.stateDirectory, VaultSettings.fileVariable]

    public init(source: Source, profile: String?, region: String?, mfaCode: String?, vaultBackend: VaultBackendKind? = nil, environment: Environment) {
        self.source = source
        self.profile = profile
        self.region = region
        self.mfaCode = mfaCode
        self.vaultBackend = vaultBackend
        var variables = environment.variables.filter { !Self.keptByClient.contains($0.key) }
        for (name, value) in variables where Self.paths.contains(name) { variables[name] = WorkingDirectory.absolute(value) }
        self.environment = variables
    }

    var json: JSONValue {
        .object([("op", .string("credentials")), ("source", .string(source.rawValue)), ("profile", .optional(profile)),
                 ("region", .optional(region)), ("mfa_code", .optional(mfaCode)), ("vault_backend", .optional(vaultBackend?.rawValue)),
                 ("environment", .object(environment.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }

    init?(json: JSONValue) {
        guard let source = json["source"]?.stringValue.flatMap(Source.init(rawValue:)), case .object(let env)? = json["environment"] else { return nil }
        self.source = source
        profile = json["profile"]?.stringValue
        region = json["region"]?.stringValue
        mfaCode = json["mfa_code"]?.stringValue
        vaultBackend = json["vault_backend"]?.stringValue.flatMap(VaultBackendKind.init(rawValue:))
        environment = Dictionary(env.compactMap { k, v in v.stringValue.map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}
