import AWSConfig
import AWSCore
import AWSCredentials

/// `assume … --export-profile NAME`: temporary credentials written into the shared credentials
/// file as profile `[NAME]`, for tools that read only static profiles. Written as any credctl
/// write of that file is (under its lock, the previous file kept as `.credctl-backup`,
/// atomically, mode 0600, every other byte kept), with two extra keys every AWS SDK ignores:
///
///     [ci-deploy]
///     aws_access_key_id = ASIA…
///     aws_secret_access_key = …
///     aws_session_token = …
///     x_security_token_expires = 2026-03-01T13:00:00Z    (saml2aws's name for the expiry, read by prompt tools)
///     x_credctl_exported_from = prod                      (what was assumed; marks the profile as credctl's)
///
/// Only a profile credctl exported before (it has `x_credctl_exported_from`) or one without
/// keys may be written: a profile holding keys of its own, a long-term key above all, is never
/// overwritten. Nor is a name whose config section would make the AWS CLI ignore the keys.
public struct ProfileExport: Sendable {
    public static let expiryKey = "x_security_token_expires"
    public static let sourceKey = "x_credctl_exported_from"
    static let keyNames = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"]
    /// Settings the AWS SDKs use before the credentials file's keys (the assume-role, web
    /// identity and SSO providers come first in the chain).
    static let shadowingSettings = ["role_arn", "web_identity_token_file", "sso_session", "sso_start_url", "sso_account_id", "sso_role_name"]

    public let name: String
    public let environment: Environment

    public init(name: String, environment: Environment) {
        self.name = name
        self.environment = environment
    }

    /// The name's rules, checked before anything is resolved or called.
    public func validate() throws(AWSError) {
        if let problem = SharedFileRules.profileNameProblem(name) { throw .configuration(ConfigurationError("--export-profile: \(problem)")) }
        if name == "DEFAULT" {
            throw .configuration(ConfigurationError("--export-profile: [DEFAULT] holds values every profile of the file inherits; choose another name"))
        }
    }

    /// What the files hold now under that name: refused (exit 2) before any call when credctl may not write it.
    public func checkTarget(_ files: SharedConfigFiles) throws(AWSError) {
        guard let profile = files.profile(name) else { return }
        if let key = Self.shadowingSettings.first(where: { profile.values[$0] != nil }), let value = profile.values[key] {
            throw .configuration(ConfigurationError(
                "profile '\(name)' sets \(key) (\(value.location)), which the AWS CLI uses before keys in the credentials file; choose another --export-profile name"))
        }
        guard profile.values[Self.sourceKey] == nil, let key = Self.keyNames.lazy.compactMap({ profile.values[$0] }).first else { return }
        let held = profile["aws_access_key_id"].map { " (\(Redaction.keyId($0)))" } ?? ""
        throw .configuration(ConfigurationError(
            "profile '\(name)' already holds keys credctl did not export\(held) at \(key.location); credctl replaces only profiles it exported: choose another --export-profile name"))
    }

    public struct Written: Sendable {
        public var file: String
        public var replaced: Bool
        /// The profile's region in the config file: the one in use, written, or one it had; nil when no region was in use.
        public var region: String?
    }

    /// The region in use, written into the exported profile's section of the config file (as
    /// `aws configure` would), so that tools reading the profile need no region of their own.
    /// A region the profile has is kept. A failure stops with the credentials already written.
    public func writeRegion(_ written: Written, session: AWSSession) throws -> Written {
        guard let region = (try? session.region)?.name else { return written }
        let writer = ProfileRegionWrite(configPath: session.files.configPath, stateDirectory: StatePaths.directory(session.environment))
        var result = written
        do {
            switch try writer.write(profile: name, region: region) {
            case .written: result.region = region
            case .kept(let current): result.region = current
            }
        } catch {
            throw OperationStopped(error, left: "the credentials are in profile [\(name)] of \(written.file); its region was not written to \(session.files.configPath)")
        }
        return result
    }

    /// Writes the credentials (temporary ones only), checking the target again under the lock.
    public func write(_ credentials: Credentials, source: String, files: SharedConfigFiles) throws(AWSError) -> Written {
        guard let token = credentials.signing.sessionToken, let expiration = credentials.expiration else {
            throw .configuration(ConfigurationError("--export-profile writes temporary credentials only; these have no session token or expiry"))
        }
        let values: [(key: String, value: String)] = [
            ("aws_access_key_id", credentials.signing.accessKeyId), ("aws_secret_access_key", credentials.signing.secretAccessKey),
            ("aws_session_token", token), (Self.expiryKey, Timestamp.format(expiration)), (Self.sourceKey, source),
        ]
        for (key, value) in values {
            if let problem = SharedFileRules.valueProblem(key: key, value: value) { throw .configuration(ConfigurationError(problem)) }
        }
        let update = CredentialsFileUpdate(path: files.credentialsPath, state: RotationState.standard(environment))
        var replaced = false
        do {
            try update.apply { editor in
                // Read again under the lock: another process may have written the profile since.
                var current = files
                current.credentials = editor.file
                try checkTarget(current)
                replaced = editor.file.section(name) != nil
                do throws(ConfigFileError) { return try editor.settingProfile(name, values: values) } catch {
                    throw error.awsError
                }
            }
        } catch {
            throw AWSError(error)
        }
        return Written(file: LocalFile.resolvingSymlinks(files.credentialsPath), replaced: replaced, region: nil)
    }
}
