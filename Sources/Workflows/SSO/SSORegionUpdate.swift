#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSConfig
import AWSCore
import AWSCredentials

/// After a login whose vanity start URL led to another region than `sso_region`, that region is
/// written where `sso_region` belongs, as `aws sso login` does (`_write_sso_region`): the
/// `[sso-session NAME]` section, or (legacy) the profile's section. Under the config-file lock,
/// the file's mode kept, a symbolic link followed, every other byte unchanged, and only when the
/// result reads back as the file with just that value set.
public enum SSORegionUpdate {
    /// Sets `sso_region = region`; returns the file written.
    public static func apply(region: String, session: SSOSession, profile: String?, configPath: String,
                             stateDirectory: String) throws(AWSError) -> String {
        guard EndpointResolver.isValidRegion(region) else {
            throw .configuration(ConfigurationError("the start URL led to '\(PrintableText.escaped(region))', which is not a region name; \(configPath) was not changed"))
        }
        do { try SecretFile.makeDirectory(stateDirectory) } catch { throw error.awsError }
        let lockPath = "\(stateDirectory)/config-file.lock"
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath, waitingUpTo: 30) } catch {
            throw .configuration(ConfigurationError("cannot lock \(lockPath): \(error)"))
        }
        defer { lock.release() }
        let file = LocalFile.resolvingSymlinks(configPath)
        do {
            let editor = try CredentialsFileEditor.load(path: file)
            guard let section = sectionName(editor.file, session: session, profile: profile) else {
                throw ConfigFileError(path: file, line: nil, reason: "no section for \(session.label) to set sso_region in")
            }
            let new = try editor.settingProfile(section, values: [(key: "sso_region", value: region)])
            var st = stat()
            let mode: mode_t = stat(file, &st) == 0 ? st.st_mode & 0o7777 : 0o600
            try SecretFile.write(new, to: file, mode: mode)
        } catch let error as ConfigFileError {
            throw .configuration(ConfigurationError("sso_region could not be set to \(region): \(error.description)"))
        } catch {
            throw .configuration(ConfigurationError("sso_region could not be set to \(region) in \(file): \(error)"))
        }
        return file
    }

    /// The section `sso_region` is read from: the last `[sso-session NAME]`, or the profile's.
    static func sectionName(_ config: INIFile, session: SSOSession, profile: String?) -> String? {
        if let name = session.name {
            return config.sections.last { ShellWords.split($0.name) == ["sso-session", name] }?.name
        }
        guard let profile else { return nil }
        return SharedConfigFiles.section(of: config, forProfile: profile)?.name
    }
}
