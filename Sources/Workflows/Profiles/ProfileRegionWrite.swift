import AWSConfig
import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `region = R` into a profile's section of the shared config file, as `aws configure set
/// region R --profile NAME` does, so that a profile credctl made (`setup user`, `assume
/// --export-profile`) works on its own: `aws … --profile NAME`, `credctl doctor --profile NAME`.
/// A profile that already has a region (its own, or its section's) keeps it. Written under the
/// config file's lock (the one `sso sync` takes), atomically, in the file's mode (0600 for a new
/// file), every other byte kept; a symbolic link is followed, not replaced.
public struct ProfileRegionWrite: Sendable {
    public enum Outcome: Sendable, Equatable {
        case written(file: String)
        /// The profile has a region already (this one, or another the user chose).
        case kept(region: String)
    }

    public let configPath: String
    public let stateDirectory: String

    public init(configPath: String, stateDirectory: String) {
        self.configPath = configPath
        self.stateDirectory = stateDirectory
    }

    public func write(profile: String, region: String) throws(AWSError) -> Outcome {
        for problem in [SharedFileRules.profileNameProblem(profile), SharedFileRules.valueProblem(key: "region", value: region)] {
            if let problem { throw .configuration(ConfigurationError("\(problem); nothing was written to \(configPath)")) }
        }
        do { try SecretFile.makeDirectory(stateDirectory) } catch { throw error.awsError }
        let lockPath = "\(stateDirectory)/config-file.lock"
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath, waitingUpTo: 30) } catch {
            throw .configuration(ConfigurationError("cannot lock \(lockPath): \(error)"))
        }
        defer { lock.release() }
        let file = LocalFile.resolvingSymlinks(configPath)
        let editor: CredentialsFileEditor
        do { editor = try CredentialsFileEditor.load(path: file) } catch { throw error.awsError }
        let existing = SharedConfigFiles.section(of: editor.file, forProfile: profile)
        if let current = existing?["region"] { return .kept(region: current) }
        let sectionName = existing?.name ?? (profile == "default" ? "default" : "profile \(profile)")
        let bytes: [UInt8]
        do { bytes = try editor.settingProfile(sectionName, values: [("region", region)]) } catch {
            throw error.awsError
        }
        var st = stat()
        let mode: mode_t = stat(file, &st) == 0 ? st.st_mode & 0o7777 : 0o600
        do {
            try SecretFile.makeDirectory(SecretFile.directory(of: file))
            try SecretFile.write(bytes, to: file, mode: mode)
        } catch {
            throw error.awsError
        }
        return .written(file: file)
    }
}
