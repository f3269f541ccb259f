#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading local files without Foundation.
public enum LocalFile {
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// How much a read of a local file takes at most, unless its caller says otherwise: far more
    /// than any shared file, cache, journal, vault or token file holds, and a bound on the memory
    /// a planted or runaway file can cost.
    public static let defaultLimit = 8 << 20

    /// Whose file a read expects.
    public enum Owner: Sendable {
        /// A file the user names or shares with other tools (the shared files, token files,
        /// `credential_process` inputs): symbolic links are followed, any owner is read.
        case anyone
        /// A file credctl itself writes (caches, journals, the vault's lock): a symbolic link is
        /// refused, not followed, and the file must belong to the user.
        case user
        /// A file named on the command line (`--value-file`, `-d @FILE`): links are followed, and
        /// a FIFO or pipe (`<(cmd)`) is read, waiting for its writer as the user asked.
        case commandLine
    }

    /// The file's bytes, or nil when it does not exist. Opening never blocks (`O_NONBLOCK`);
    /// a FIFO, socket or block device is refused, a directory too, and so is anything larger
    /// than `limit` bytes. A character device is read without blocking (`/dev/null` is empty).
    public static func read(_ path: String, limit: Int = defaultLimit, owner: Owner = .anyone) throws(ReadError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (owner == .commandLine ? 0 : O_NONBLOCK) | (owner == .user ? O_NOFOLLOW : 0))
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            if errno == ELOOP, owner == .user { throw ReadError(path: path, reason: "it is a symbolic link, and credctl follows none at the files it keeps") }
            throw ReadError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        if let problem = FileCheck.problem(fileDescriptor: fd, owner: owner, allowCharacterDevice: true) {
            throw ReadError(path: path, reason: problem)
        }
        switch readAll(fileDescriptor: fd, limit: limit) {
        case .bytes(let bytes): return bytes
        case .tooLarge: throw ReadError(path: path, reason: "it is larger than \(FileCheck.size(limit)), more than credctl reads from a file")
        case .failed(let reason): throw ReadError(path: path, reason: reason)
        }
    }

    /// What a bounded read gave.
    public enum Bounded: Sendable, Equatable {
        case bytes([UInt8])
        /// More than the limit was there (what was read is dropped).
        case tooLarge
        /// A read failed; `errno`'s words (a read that would block says so).
        case failed(String)
    }

    /// Everything up to end of file, or `.tooLarge` as soon as more than `limit` bytes arrive.
    public static func readAll(fileDescriptor fd: Int32, limit: Int) -> Bounded {
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, limit - out.count + 1)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .failed("reading it would block (it is not a regular file)") }
                return .failed(String(cString: strerror(errno)))
            }
            if n == 0 { return .bytes(out) }
            out.append(contentsOf: buffer[0..<n])
            if out.count > limit { return .tooLarge }
        }
    }

    /// The file a path names after following symbolic links, so that replacing it keeps the
    /// link — also when the link dangles (its target is then created, as the AWS CLI does when it
    /// writes through such a link). The path itself when it is no link.
    public static func resolvingSymlinks(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let target = readLink(current) else { return current }
            current = target.hasPrefix("/") ? target : SecretFile.directory(of: current) + "/" + target
        }
        return current
    }

    /// The target a symbolic link names, as written in the link.
    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a folder (without `.` and `..`); empty when it cannot be read.
    public static func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The user's home directory: `$HOME`, else the password database.
    public static func homeDirectory(_ env: Environment) -> String {
        if let home = env.nonEmpty("HOME") { return home }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    /// `~` and `~/…` expanded against the home directory.
    public static func expandTilde(_ path: String, _ env: Environment) -> String {
        if path == "~" { return homeDirectory(env) }
        if path.hasPrefix("~/") { return homeDirectory(env) + path.dropFirst() }
        return path
    }
}
