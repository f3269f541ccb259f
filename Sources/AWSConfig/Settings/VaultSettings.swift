import AWSCore

/// Which backend the vault uses and where, resolved once: a flag (`--backend`), else
/// `CREDCTL_VAULT_BACKEND`, else the configured default (a credctl setting the CLI reads), else
/// `file`; the file is `CREDCTL_VAULT_FILE`, else `~/.aws/credctl/vault.json` (`StatePaths`).
public struct VaultSettings: Sendable, Equatable {
    public static let backendVariable = SettingNames.vaultBackend
    public static let fileVariable = SettingNames.vaultFile

    public var backend: VaultBackendKind
    /// Where the choice came from: `--backend`, `CREDCTL_VAULT_BACKEND`, `configuration`, or `default`.
    public var backendSource: String
    public var filePath: String

    public init(backend: VaultBackendKind, backendSource: String, filePath: String) {
        self.backend = backend
        self.backendSource = backendSource
        self.filePath = filePath
    }

    public static func resolve(flag: VaultBackendKind? = nil, environment: Environment, configuredBackend: String? = nil) throws(ConfigurationError) -> VaultSettings {
        let path = StatePaths.resolve(environment).vaultFile
        let choices = VaultBackendKind.allCases.map(\.rawValue).joined(separator: ", ")
        if let flag { return VaultSettings(backend: flag, backendSource: "--backend", filePath: path) }
        if let name = environment.nonEmpty(backendVariable) {
            guard let kind = VaultBackendKind(rawValue: name) else {
                throw ConfigurationError("\(backendVariable)=\(name) is not a vault backend (\(choices))")
            }
            return VaultSettings(backend: kind, backendSource: backendVariable, filePath: path)
        }
        if let name = configuredBackend, !name.isEmpty {
            guard let kind = VaultBackendKind(rawValue: name) else {
                throw ConfigurationError("the configured vault backend '\(name)' is not one of \(choices)")
            }
            return VaultSettings(backend: kind, backendSource: "configuration", filePath: path)
        }
        return VaultSettings(backend: .file, backendSource: "default", filePath: path)
    }

    /// `file /path (from default)`: which backend is in use, where, and why.
    public var description: String {
        switch backend {
        case .file: return "file \(filePath) (from \(backendSource))"
        case .secretService: return "secret-service (from \(backendSource))"
        }
    }
}
