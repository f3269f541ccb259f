#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What credctl checks about a file it has opened (with `fstat`, so that the file checked is
/// the file used) and about the folders it keeps files in.
public enum FileCheck {
    /// Why the open file cannot be used, or nil. Only regular files are used (and, when
    /// `allowCharacterDevice`, character devices such as `/dev/null`, read without blocking);
    /// with `owner: .user` the file must belong to the user and have no other name (a hard link
    /// planted elsewhere would make a write land there).
    public static func problem(fileDescriptor fd: Int32, owner: LocalFile.Owner, allowCharacterDevice: Bool = false) -> String? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return String(cString: strerror(errno)) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "it is a directory"
        case S_IFCHR where allowCharacterDevice && owner != .user: return nil
        case S_IFIFO where owner == .commandLine: return nil
        case S_IFIFO: return "it is a FIFO, not a regular file"
        case S_IFSOCK: return "it is a socket, not a regular file"
        default: return "it is not a regular file"
        }
        guard owner == .user else { return nil }
        if st.st_uid != geteuid() { return "it belongs to another user (uid \(st.st_uid)), not to you (uid \(geteuid()))" }
        if st.st_nlink > 1 { return "it has \(st.st_nlink) names (hard links); credctl uses only a file of its own" }
        return nil
    }

    /// Why `path`, a folder credctl keeps secrets or state in, cannot be used, or nil: it must be
    /// a directory of the user's that nobody else can write (someone who can would be able to
    /// replace what credctl writes there, or plant links and FIFOs in its place).
    public static func privateFolderProblem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return String(cString: strerror(errno)) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return "it is not a directory" }
        if st.st_uid != geteuid() { return "it belongs to another user (uid \(st.st_uid)), not to you (uid \(geteuid()))" }
        let mode = st.st_mode & 0o7777
        if mode & 0o022 != 0 {
            return "others can write in it (mode \(octal(mode))); credctl keeps its files only in a folder only you can write: chmod go-w '\(path)'"
        }
        return nil
    }

    /// `0o755` as `0755`.
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A byte count in words: `8 MiB`, `512 KiB`, `12 bytes`.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
