import AWSConfig
import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read-modify-write of the shared credentials file: under a lock shared by every credctl
/// process (so two rotations of different users cannot lose each other's key), reading the
/// file afresh, keeping the previous version as `FILE.credctl-backup`, then replacing the file
/// atomically with mode 0600. A symbolic link is followed, not replaced.
public struct CredentialsFileUpdate: Sendable {
    public let path: String
    public let state: RotationState

    public init(path: String, state: RotationState) {
        self.path = path
        self.state = state
    }

    /// The file at `path` (a symbolic link followed), parsed; a missing file is an empty one.
    /// An unreadable or malformed file is a configuration error (exit 2).
    public static func read(_ path: String) throws(AWSError) -> CredentialsFileEditor {
        do { return try CredentialsFileEditor.load(path: LocalFile.resolvingSymlinks(path)) } catch {
            throw error.awsError
        }
    }

    public var backupPath: String { LocalFile.resolvingSymlinks(path) + ".credctl-backup" }

    /// Applies `change` to the file as it is now; `change` returns the new bytes, or nil for no change.
    @discardableResult
    public func apply(_ change: (CredentialsFileEditor) throws -> [UInt8]?) throws -> Bool {
        try state.prepare()
        let lock: FileLock
        do { lock = try FileLock.acquire(state.credentialsFileLockPath, waitingUpTo: 30) } catch {
            throw AWSError.configuration(ConfigurationError("cannot lock \(state.credentialsFileLockPath): \(error)"))
        }
        defer { lock.release() }
        let target = LocalFile.resolvingSymlinks(path)
        let editor = try Self.read(target)
        guard let bytes = try change(editor) else { return false }
        do {
            if !editor.bytes.isEmpty { try SecretFile.write(editor.bytes, to: target + ".credctl-backup") }
            try SecretFile.makeDirectory(SecretFile.directory(of: target))
            try SecretFile.write(bytes, to: target)
        } catch {
            throw error.awsError
        }
        return true
    }

    /// Adds profile `[name]` with a key, after checking that the name and values read back exactly
    /// (nothing is written otherwise).
    public static func checkNewProfile(_ name: String, keyId: String, secret: String) throws(AWSError) {
        let problems = [SharedFileRules.profileNameProblem(name),
                        SharedFileRules.valueProblem(key: "aws_access_key_id", value: keyId),
                        SharedFileRules.valueProblem(key: "aws_secret_access_key", value: secret)]
        if let problem = problems.compactMap({ $0 }).first { throw .configuration(ConfigurationError(problem)) }
    }

    /// Whether a file can be created in the file's folder (tried with a real temporary file),
    /// so that a rotation finds out before it creates a key. A missing folder is created (0700).
    public func checkWritable() throws(AWSError) {
        let target = LocalFile.resolvingSymlinks(path)
        let folder = SecretFile.directory(of: target)
        do { try SecretFile.makeDirectory(folder) } catch {
            throw .configuration(ConfigurationError("cannot create \(folder), where \(path) goes: \(error.reason)"))
        }
        do { try SecretFile.checkCanCreate(beside: target) } catch {
            throw .configuration(ConfigurationError("cannot write in \(folder), where \(path) is: \(error.reason)"))
        }
    }

    /// The same question as `checkWritable`, for a dry run, changing nothing: the file's folder
    /// (or, when it is missing, the nearest folder above that exists) must let this user create
    /// a file, so that a plan never says yes where the run would stop.
    public func checkWritableWithoutChanges() throws(AWSError) {
        let target = LocalFile.resolvingSymlinks(path)
        var folder = SecretFile.directory(of: target)
        var st = stat()
        while stat(folder, &st) != 0, errno == ENOENT, folder != "/", !folder.isEmpty {
            folder = SecretFile.directory(of: folder)
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw .configuration(ConfigurationError("cannot write in \(folder), where \(path) is: \(String(cString: strerror(errno)))"))
        }
    }
}
