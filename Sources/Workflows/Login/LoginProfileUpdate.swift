#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSConfig
import AWSCore
import AWSCredentials
import Vault

/// What `credctl login` does to the profile, as `aws login` does it: a profile that already
/// gets credentials another way is refused before anything starts (those would still win over
/// the session); after the sign-in, `login_session = ARN` is set in the profile's config-file
/// section (`[default]` or `[profile NAME]`, made if missing), every other byte of the file
/// kept, the file written atomically with its mode kept (0600 when new), under the config-file
/// lock `sso sync` takes too (in `stateDirectory`), so two writers never lose each other's change.
public struct LoginProfileUpdate: Sendable {
    public let profile: String
    public let files: SharedConfigFiles
    public let stateDirectory: String

    public init(profile: String, files: SharedConfigFiles, stateDirectory: String) {
        self.profile = profile
        self.files = files
        self.stateDirectory = stateDirectory
    }

    /// The profile's name is one every SDK reads back the same (`SharedFileRules`), and the
    /// AWS CLI's `ensure_profile_does_not_have_existing_credentials`, in its order.
    public func checkNoOtherCredentials() throws(AWSError) {
        if let problem = SharedFileRules.profileNameProblem(profile) {
            throw .configuration(ConfigurationError("credctl login --profile: \(problem); nothing was done"))
        }
        guard let values = files.profile(profile)?.values else { return }
        let styles: [(String, [String])] = [("web identity", ["web_identity_token_file"]), ("SSO", ["sso_role_name", "sso_account_id"]),
                                            ("access key", ["aws_access_key_id"]), ("assume-role", ["role_arn"]),
                                            ("credential_process", ["credential_process"])]
        for (style, keys) in styles {
            guard let key = keys.first(where: { values[$0] != nil }), let value = values[key] else { continue }
            let flag = profile == "default" ? "" : " --profile \(profile)"
            throw .configuration(ConfigurationError(
                "profile '\(profile)' already gets \(style) credentials (\(key) at \(value.location)), which would win over a login session; nothing was done. Run credctl login --profile NEW-NAME for a new profile, or remove \(key) from '\(profile)' first (credctl login\(flag) then)"))
        }
    }

    /// The session the profile names now, if any.
    public var currentSession: String? { files.profile(profile)?.values[LoginSessionSettings.profileKey]?.text }

    /// Sets `login_session` in the config file; returns the file written.
    public func write(session: String) throws(AWSError) -> String {
        if let problem = SharedFileRules.valueProblem(key: LoginSessionSettings.profileKey, value: session) {
            throw .configuration(ConfigurationError("the session name from the sign-in service cannot be written to a profile: \(problem); the file was not changed"))
        }
        do { try SecretFile.makePrivateDirectory(stateDirectory) } catch { throw error.awsError }
        let lockPath = "\(stateDirectory)/config-file.lock"
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath, waitingUpTo: 30) } catch {
            throw .configuration(ConfigurationError("cannot lock \(lockPath): \(error)"))
        }
        defer { lock.release() }
        let path = LocalFile.resolvingSymlinks(files.configPath)
        let bytes: [UInt8]
        do { bytes = try LocalFile.read(path) ?? [] } catch { throw error.awsError }
        let config: INIFile?
        do { config = bytes.isEmpty ? nil : try INIFile(parsing: String(decoding: bytes, as: UTF8.self), path: path) } catch {
            throw error.awsError
        }
        let header = profile == "default" ? "default" : "profile \(profile)"
        let section = config.flatMap { SharedConfigFiles.section(of: $0, forProfile: profile)?.name } ?? header
        let updated = ProfileLinesEdit.settingKey(LoginSessionSettings.profileKey, to: session, inSection: section, header: header, in: bytes)
        // Read back: the profile names the session, and nothing else changed.
        guard let reread = try? INIFile(parsing: String(decoding: updated, as: UTF8.self), path: path),
              SharedConfigFiles.section(of: reread, forProfile: profile)?[LoginSessionSettings.profileKey] == session else {
            throw .configuration(ConfigurationError("cannot set login_session in profile '\(profile)' of \(path) exactly; the file was not changed"))
        }
        var st = stat()
        let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o777 : 0o600
        do {
            try SecretFile.makeDirectory(SecretFile.directory(of: path))
            try SecretFile.write(updated, to: path, mode: mode)
        } catch {
            throw error.awsError
        }
        return path
    }
}
