import AWSCore
import AWSConfig
import SigV4

/// `aws_access_key_id` / `aws_secret_access_key` (and `aws_session_token`) of a profile in one
/// of the shared files: the credentials file, or the config file.
public struct StaticProfileCredentialsProvider: CredentialProvider {
    public enum File: Sendable { case credentials, config }

    public let name: String
    let file: File
    let ini: INIFile?
    let path: String
    let profileName: String

    public init(file: File, files: SharedConfigFiles, profileName: String) {
        self.file = file
        self.profileName = profileName
        switch file {
        case .credentials:
            name = "shared-credentials-file"
            ini = files.credentials
            path = files.credentialsPath
        case .config:
            name = "config-file"
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
        let id = section.entry("aws_access_key_id").flatMap { $0.value.isEmpty ? nil : $0 }
        let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (nil, nil):
            return .notFound("profile '\(profileName)' in \(path) has no aws_access_key_id")
        case (.some, nil), (nil, .some):
            let missing = id == nil ? "aws_access_key_id" : "aws_secret_access_key"
            throw .configuration(ConfigurationError("profile '\(profileName)' in \(path) (line \(section.line)) has no \(missing): set both keys"))
        case let (id?, secret?):
            // botocore reads the legacy aws_security_token first.
            let token = section["aws_security_token"].flatMap { $0.isEmpty ? nil : $0 }
                ?? section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            let provider: Provenance.Provider = file == .credentials ? .sharedCredentialsFile : .configFile
            let provenance = Provenance(provider: provider, profile: profileName, location: "\(path):\(id.line)")
            return .found(Credentials(signing: SigningCredentials(accessKeyId: id.value, secretAccessKey: secret, sessionToken: token),
                                      provenance: provenance))
        }
    }
}
