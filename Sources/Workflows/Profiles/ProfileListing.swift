import AWSConfig
import AWSCore

/// `credctl profiles`: every profile of both shared files, as `aws configure list-profiles`
/// lists them (botocore's `available_profiles`: the config file's profiles in the order each
/// name first appears, then the credentials file's sections not named yet), each with the
/// kind of credentials the chain would take from it and the sections that define it. Reads
/// the files only: no credential provider runs, nothing touches the network.
public struct ProfileListing: Sendable {
    /// What the credential chain would do with the profile, in the chain's order.
    public enum Kind: String, Sendable {
        /// `role_arn` (without `web_identity_token_file`).
        case role
        /// `web_identity_token_file`.
        case webIdentity = "web-identity"
        /// `sso_session`, `sso_start_url` or `sso_account_id`.
        case sso
        /// `aws_access_key_id` (with its secret) in the credentials file, or in the config file
        /// when there is no `credential_process`.
        case staticKeys = "static-keys"
        /// `login_session` (an `aws login` / `credctl login` session).
        case loginSession = "login-session"
        /// `credential_process`.
        case credentialProcess = "credential-process"
        /// None of these: settings only (a region, an output format, …).
        case other
    }

    public struct Item: Sendable {
        public var profile: Profile
        public var kind: Kind
    }

    public var files: SharedConfigFiles
    /// The profile the other commands would use (it need not exist).
    public var selection: ProfileSelection
    public var profiles: [Item]
    /// Where other SDKs read the files differently, and what the AWS CLI ignores.
    public var notes: [ProfileFileNote]

    /// Settings whose values are secrets: shown masked, as `Redaction.secret` does.
    public static let secretSettings: Set<String> = ["aws_secret_access_key", "aws_session_token", "aws_security_token"]

    /// Reads both files; a file that does not parse is exit 2, as everywhere.
    public static func load(environment: Environment, profileFlag: String?) throws(AWSError) -> ProfileListing {
        let files: SharedConfigFiles
        do { files = try SharedConfigFiles.load(environment) } catch {
            throw error.awsError
        }
        let items = files.allProfiles.map { Item(profile: $0, kind: kind(of: $0, credentialsPath: files.credentialsPath)) }
        return ProfileListing(files: files, selection: ProfileSelection.resolve(flag: profileFlag, environment: environment),
                              profiles: items, notes: ProfileFileNotes.notes(for: files))
    }

    /// The first provider of the chain (after the environment) that would take the profile.
    public static func kind(of profile: Profile, credentialsPath: String) -> Kind {
        let has = { (key: String) in profile.values[key] != nil }
        if has("role_arn"), !has("web_identity_token_file") { return .role }
        if has("web_identity_token_file") { return .webIdentity }
        if has("sso_session") || has("sso_start_url") || has("sso_account_id") { return .sso }
        if let key = profile.values["aws_access_key_id"], key.file == credentialsPath { return .staticKeys }
        if has("login_session") { return .loginSession }
        if profile["credential_process"] != nil { return .credentialProcess }
        if has("aws_access_key_id") { return .staticKeys }
        return .other
    }

    /// A setting's value as shown: secrets masked.
    public static func shown(_ key: String, _ value: String) -> String {
        secretSettings.contains(key) ? Redaction.secret(value) : value
    }
}
