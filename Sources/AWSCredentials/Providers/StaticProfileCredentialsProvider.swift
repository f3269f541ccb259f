import AWSCore
import AWSConfig
import SigV4

/// `aws_access_key_id` / `aws_secret_access_key` (and `aws_session_token`) of a profile in one
/// of the shared files: the credentials file, or the config file.
public struct StaticProfileCredentialsProvider: CredentialProvider {
    public enum File: Sendable { case credentials, config }

    public let kind: Provenance.Provider
    let file: File
    let ini: INIFile?
    let path: String
    let profileName: String

    public init(file: File, files: SharedConfigFiles, profileName: String) {
        self.file = file
        self.profileName = profileName
        switch file {
        case .credentials:
            kind = .sharedCredentialsFile
            ini = files.credentials
            path = files.credentialsPath
        case .config:
            kind = .configFile
            ini = files.config
            path = files.configPath
        }
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let ini else { return .notFound("\(path) does not exist") }
        let section: INIFile.Section?
        switch file {
        case .credentials: section = ini.section(profileName)
        case .config: section = SharedConfigFiles.section(of: ini, forProfile: profileName)
        }
        guard let section else { return .notFound("\(path) has no profile '\(profileName)'") }
        // As botocore: the key id decides (a section with only a secret is passed over);
        // present keys are used even when empty; the first token key present wins.
        guard let id = section.entry("aws_access_key_id") else {
            return .notFound("profile '\(profileName)' in \(path) has no aws_access_key_id")
        }
        guard let secret = section.entry("aws_secret_access_key") else {
            throw .configuration(ConfigurationError("profile '\(profileName)' in \(path) (line \(section.line)) has no aws_secret_access_key: set both keys"))
        }
        let tokenEntry = section.entry("aws_security_token") ?? section.entry("aws_session_token")
        // botocore would hand the sub-section's dictionary on as the key; credctl refuses it.
        for entry in [id, secret, tokenEntry].compactMap({ $0 }) where entry.subsection != nil {
            throw .configuration(ConfigurationError("\(entry.key) of profile '\(profileName)' (\(path):\(entry.line)) is a sub-section (indented lines below it), not a value"))
        }
        let token = tokenEntry.flatMap { $0.value.isEmpty ? nil : $0.value }
        let provenance = Provenance(provider: kind, profile: profileName, location: "\(path):\(id.line)")
        return .found(Credentials(signing: SigningCredentials(accessKeyId: id.value, secretAccessKey: secret.value, sessionToken: token),
                                  provenance: provenance))
    }
}

extension StaticProfileCredentialsProvider {
    static let keys = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"]

    public static let credentialsFileRegistration = ProviderRegistration(kind: .sharedCredentialsFile, reads: keys, alsoIn: [.sourceProfile]) { scope in
        StaticProfileCredentialsProvider(file: .credentials, files: scope.context.files, profileName: scope.profileName)
    }

    public static let configFileRegistration = ProviderRegistration(kind: .configFile, reads: keys, alsoIn: [.sourceProfile]) { scope in
        StaticProfileCredentialsProvider(file: .config, files: scope.context.files, profileName: scope.profileName)
    }
}

extension Provenance.Provider {
    public static let sharedCredentialsFile = Provenance.Provider("shared-credentials-file")
    public static let configFile = Provenance.Provider("config-file")
}
