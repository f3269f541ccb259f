#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing files that hold secrets: atomically (a temporary file in the same folder, fsync,
/// rename, fsync of the folder), mode 0600 from the first byte.
///
/// Temporary files are `.NAME.XXXXXX` beside `NAME`, held under an exclusive `flock` from
/// creation until renamed. Every write first removes the temporary files of the same path that
/// no live writer holds — what a killed write left, perhaps a key in clear — so each write path
/// cleans up after its own earlier runs, whatever lock its callers take.
public enum SecretFile {
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Replaces `path` with `bytes`; readers see the old file or the new one, never a mix. A
    /// symbolic link at `path` is replaced, not followed: callers that write through a link the
    /// user made resolve it first (`LocalFile.resolvingSymlinks`).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(WriteError) {
        removeLeftovers(of: path)
        let (fd, temporary) = try temporaryFile(for: path)
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
            close(fd)  // after the rename: until then the lock says a writer is alive
        }
        guard fchmod(fd, mode) == 0 else { throw WriteError(path: path, reason: lastError()) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: lastError())
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw WriteError(path: path, reason: lastError()) }
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, reason: lastError()) }
        renamed = true
        let dirFD = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }

    /// Whether a file can be created beside `path` (a real temporary file, made and removed the
    /// way `write` makes its own, so a kill in between leaves what the next write removes).
    public static func checkCanCreate(beside path: String) throws(WriteError) {
        let (fd, temporary) = try temporaryFile(for: path)
        unlink(temporary)
        close(fd)
    }

    /// A new temporary file for a write of `path`, open and locked. A cleaner that took the lock
    /// between `mkstemp` and `flock` has removed the name: then another is made.
    static func temporaryFile(for path: String) throws(WriteError) -> (fd: Int32, path: String) {
        for _ in 0..<8 {
            var template = Array("\(directory(of: path))/.\(baseName(of: path)).XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw WriteError(path: path, reason: lastError()) }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var st = stat()
            guard flock(fd, LOCK_EX) == 0, fstat(fd, &st) == 0 else {
                let e = lastError(); close(fd); throw WriteError(path: path, reason: e)
            }
            if st.st_nlink > 0 { return (fd, template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }) }
            close(fd)
        }
        throw WriteError(path: path, reason: "its temporary files keep being removed by another process")
    }

    /// Removes the temporary files (`.NAME.XXXXXX`) of writes of `path` that no live writer
    /// holds: each is opened without following links, must be a regular file of the user's, is
    /// locked without waiting (a writer holds its lock until its rename), and is removed only if
    /// its name still names the file locked.
    public static func removeLeftovers(of path: String) {
        let prefix = ".\(baseName(of: path))."
        let folder = directory(of: path)
        for name in LocalFile.entries(of: folder) where isTemporaryName(name, prefix: prefix) {
            let candidate = folder + "/" + name
            let fd = open(candidate, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var held = stat(), named = stat()
            guard FileCheck.problem(fileDescriptor: fd, owner: .user) == nil,
                  flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &held) == 0, lstat(candidate, &named) == 0,
                  held.st_dev == named.st_dev, held.st_ino == named.st_ino else { continue }
            unlink(candidate)
        }
    }

    static func isTemporaryName(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix), name.utf8.count == prefix.utf8.count + 6 else { return false }
        return name.utf8.suffix(6).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// Creates `path` and any missing parents with `mode`. For a folder of the user's choosing
    /// (where the shared files are); credctl's own folders use `makePrivateDirectory`.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(WriteError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, mode) != 0, errno != EEXIST { throw WriteError(path: built, reason: lastError()) }
        }
    }

    /// Creates one of credctl's own folders (state, caches, the vault's) and any missing parents,
    /// 0700, and refuses one that exists but is not the user's or that others can write
    /// (`FileCheck.privateFolderProblem`); so are its `parents` nearest parents (the state folder
    /// holding `rotation/`), outermost first.
    public static func makePrivateDirectory(_ path: String, parents: Int = 0) throws(WriteError) {
        try makeDirectory(path, mode: 0o700)
        var folders = [path]
        for _ in 0..<parents { folders.insert(directory(of: folders[0]), at: 0) }
        for folder in folders {
            if let problem = FileCheck.privateFolderProblem(folder) { throw WriteError(path: folder, reason: problem) }
        }
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
