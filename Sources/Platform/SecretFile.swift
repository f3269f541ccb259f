#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing files that hold secrets: atomically (a temporary file in the same folder, fsync,
/// rename, fsync of the folder), mode 0600 from the first byte.
public enum SecretFile {
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Replaces `path` with `bytes`; readers see the old file or the new one, never a mix.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(WriteError) {
        let folder = directory(of: path)
        var template = Array("\(folder)/.\(baseName(of: path)).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw WriteError(path: path, reason: lastError()) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        guard fchmod(fd, mode) == 0 else { let e = lastError(); close(fd); throw WriteError(path: path, reason: e) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = lastError(); close(fd); throw WriteError(path: path, reason: e)
            }
            offset += n
        }
        guard fsync(fd) == 0 else { let e = lastError(); close(fd); throw WriteError(path: path, reason: e) }
        close(fd)
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, reason: lastError()) }
        finished = true
        let dirFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }

    /// Creates `path` and any missing parents with `mode` (0700 for folders of secrets).
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(WriteError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, mode) != 0, errno != EEXIST { throw WriteError(path: built, reason: lastError()) }
        }
    }

    /// Removes what an interrupted `write` of `path` left behind: its temporary files
    /// (`.NAME.XXXXXX`). Call only while holding the lock that serialises writes of `path`.
    public static func removeLeftovers(of path: String) {
        let prefix = ".\(baseName(of: path))."
        let folder = directory(of: path)
        for name in LocalFile.entries(of: folder) where name.hasPrefix(prefix) && name.utf8.count == prefix.utf8.count + 6 {
            let suffix = name.utf8.suffix(6)
            guard suffix.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }) else { continue }
            unlink(folder + "/" + name)
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
