#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP socket listening on 127.0.0.1 at a port the kernel picks (or a given one), non-blocking, closed on exec
/// (a child never inherits it).
struct LoopbackListener {
    let fd: Int32
    let port: Int

    static func open(port: Int = 0) throws(CredentialServerError) -> LoopbackListener {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .socket("cannot listen on 127.0.0.1\(port == 0 ? "" : ":\(port)"): \(reason)")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return LoopbackListener(fd: fd, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A waiting connection (non-blocking, closed on exec), nil when none is waiting.
    func accept() -> Int32? {
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        return client
    }
}

extension Int32 {
    /// Writes all of `bytes` to this socket, waiting up to `seconds` for room; never raises SIGPIPE.
    func sendAll(_ bytes: [UInt8], seconds: Double) {
        var offset = 0
        var waited = 0.0
        while offset < bytes.count, waited < seconds {
            let n = bytes[offset...].withUnsafeBytes { send(self, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            if n < 0, errno == EINTR { continue }
            guard n < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return }
            var p = pollfd(fd: self, events: Int16(POLLOUT), revents: 0)
            _ = poll(&p, 1, 100)
            waited += 0.1
        }
    }
}
