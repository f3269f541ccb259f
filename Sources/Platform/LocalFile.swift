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
