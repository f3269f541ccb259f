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

    /// The file's bytes, or nil when it does not exist.
    public static func read(_ path: String) throws(ReadError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ReadError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(path: path, reason: "it is a directory")
        }
        guard let bytes = readAll(fileDescriptor: fd) else {
            throw ReadError(path: path, reason: String(cString: strerror(errno)))
        }
        return bytes
    }

    /// Everything up to end of file; nil on a read error (`errno` says which).
    public static func readAll(fileDescriptor fd: Int32) -> [UInt8]? {
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// The file a path names after following symbolic links (so that replacing it keeps the
    /// link); the path itself when it does not exist yet.
    public static func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
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
