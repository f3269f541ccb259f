#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unix-domain stream sockets for a per-user daemon and its clients: listen on a path made
/// with mode 0600, connect, read the peer's user id (`SO_PEERCRED`), and move whole buffers
/// with a time limit. The only file that speaks to the socket API for `credctl agent`.
public enum UnixSocket {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
        init(message: String) { description = message }
    }

    /// `sun_path` holds 108 bytes, the terminating NUL included.
    public static let maximumPathLength = 107

    /// A listening socket bound at `path` (mode 0600: the bind happens under umask 0177, then
    /// the mode is set again). A file already at `path` is an error: the caller removes a stale
    /// socket only after checking that no daemon answers there.
    public static func listen(path: String) throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var address = try socketAddress(path)
        let saved = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(saved)
        guard bound == 0 else { let e = Failure("cannot listen on \(path)"); close(fd); throw e }
        guard chmod(path, 0o600) == 0, Glibc.listen(fd, 64) == 0 else {
            let e = Failure("cannot listen on \(path)"); close(fd); unlink(path); throw e
        }
        return fd
    }

    /// A connected socket, or nil when nothing listens at `path` (no file, refused, not a socket).
    public static func connect(path: String) -> Int32? {
        guard var address = try? socketAddress(path) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard status == 0 else { close(fd); return nil }
        return fd
    }

    /// A connection waiting on `fd` (nil on EINTR/EAGAIN and other transient failures).
    public static func accept(_ fd: Int32) -> Int32? {
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return client
    }

    /// The user id of the process at the other end (Linux `SO_PEERCRED`: pid, uid, gid).
    public static func peerUserID(_ fd: Int32) -> UInt32? {
        var credentials: [UInt32] = [0, 0, 0]
        var length = socklen_t(12)
        let status = credentials.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &length) }
        return status == 0 && length == 12 ? credentials[1] : nil
    }

    /// The user id this process runs as.
    public static var ownUserID: UInt32 { getuid() }

    /// Limits how long one read or write may block (seconds).
    public static func setTimeout(_ fd: Int32, seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes every byte (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 { if errno == EINTR { continue }; throw Failure("write") }
            offset += n
        }
    }

    /// Exactly `count` bytes; fails when the peer closes first or the time limit passes.
    public static func readExactly(_ fd: Int32, count: Int) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = bytes[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { if errno == EINTR { continue }; throw Failure("read") }
            if n == 0 { throw Failure(message: "the other end closed the connection") }
            offset += n
        }
        return bytes
    }

    /// Waits up to `milliseconds` for `fd` to become readable; true when it did.
    public static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0
    }

    /// Why `folder` may not hold a private socket (not a real folder, another owner, open to
    /// others), or nil when it is this user's own 0700 folder.
    public static func privateFolderProblem(_ folder: String) -> String? {
        var info = stat()
        guard lstat(folder, &info) == 0 else { return "\(folder): \(String(cString: strerror(errno)))" }
        if info.st_mode & S_IFMT != S_IFDIR { return "\(folder) is not a folder" }
        if info.st_uid != getuid() { return "\(folder) belongs to another user (uid \(info.st_uid))" }
        if info.st_mode & 0o077 != 0 { return "\(folder) is open to other users (mode \(String(info.st_mode & 0o777, radix: 8)))" }
        return nil
    }

    /// True when `path` is a socket file (not following a link).
    public static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    public static func remove(_ path: String) { unlink(path) }

    /// Marks an inherited descriptor close-on-exec (a child never gets the agent's socket).
    public static func setCloseOnExec(_ fd: Int32) { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

    /// Closes a descriptor this file handed out.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func socketAddress(_ path: String) throws(Failure) -> sockaddr_un {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumPathLength else {
            throw Failure(message: "the socket path \(path) is longer than \(maximumPathLength) bytes")
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return address
    }
}
