#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held until `release()` or the end of
/// the process: the kernel drops it when the process dies, however it dies, so a crash never
/// leaves a stale lock. The file holds the holder's process id for messages.
public final class FileLock {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Another process holds it; its pid when the file names one.
        case held(by: Int32?)
        case unusable(path: String, reason: String)

        /// Why, in words that follow "cannot lock PATH: ".
        public var description: String {
            switch self {
            case .held(let pid): return "another credctl holds it\(pid.map { " (pid \($0))" } ?? "")"
            case .unusable(_, let reason): return reason
            }
        }
    }

    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock without waiting. The lock file is never followed through a symbolic link
    /// (`O_NOFOLLOW`), opening it never blocks (`O_NONBLOCK`, for a FIFO planted there), and it
    /// is checked after opening (`fstat`): a regular file of the user's with no other name.
    /// Only then is it written, so a planted link or hard link can empty no file.
    public static func acquire(_ path: String) throws(Failure) -> FileLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link, and credctl follows none at its lock files" : String(cString: strerror(errno))
            throw .unusable(path: path, reason: reason)
        }
        if let problem = FileCheck.problem(fileDescriptor: fd, owner: .user) {
            close(fd)
            throw .unusable(path: path, reason: problem)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            var holder: Int32?
            if case .bytes(let bytes) = LocalFile.readAll(fileDescriptor: fd, limit: 32) {
                holder = Int32(String(decoding: bytes.filter { $0 != 0x0A }, as: UTF8.self))
            }
            close(fd)
            throw busy ? .held(by: holder) : .unusable(path: path, reason: reason)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return FileLock(path: path, fd: fd)
    }

    /// Takes the lock, waiting up to `seconds` for its holder to let go.
    public static func acquire(_ path: String, waitingUpTo seconds: Double) throws(Failure) -> FileLock {
        let deadline = MonotonicClock.now() + seconds
        while true {
            do { return try acquire(path) } catch {
                guard case .held = error, MonotonicClock.now() < deadline else { throw error }
                usleep(50_000)
            }
        }
    }

    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
