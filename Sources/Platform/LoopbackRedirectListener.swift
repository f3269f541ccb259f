#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The receiving end of an OAuth 2.0 loopback redirect (RFC 8252 §7.3): a TCP socket on
/// 127.0.0.1 only (never another interface), at a port the kernel picks, bound before anyone is
/// told the address, closed on exec. `waitForRedirect` answers HTTP requests one at a time until
/// a `GET` arrives for the expected path, and returns that request's query parameters.
///
/// Every client is untrusted: a request head is read up to 8 KiB and for at most
/// `requestTimeLimit` seconds; other paths and methods get a 404 and the wait goes on.
public final class LoopbackRedirectListener {
    public let port: Int
    private let fd: Int32

    /// The largest request head read; a longer one is answered 431 and dropped.
    public static let maximumHeadSize = 8192
    /// How long one connection may take to send its request (the AWS CLI's `_REQUEST_TIMEOUT`).
    public static let requestTimeLimit = 10.0

    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A listener on `127.0.0.1` at a free port.
    public init() throws(OpenError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw OpenError(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw OpenError(description: "cannot listen on 127.0.0.1: \(reason)")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// Waits up to `timeLimit` seconds for `GET path?query`; answers it 200 with `page` (HTML)
    /// and returns its query parameters (the first value of each name, decoded as a form).
    /// Nil when the time runs out.
    public func waitForRedirect(path: String, page: String, timeLimit: Double) -> [String: String]? {
        let deadline = MonotonicClock.now() + timeLimit
        while true {
            let left = deadline - MonotonicClock.now()
            guard left > 0 else { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(left, 1.0) * 1000) + 1)
            guard ready > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            defer { close(client) }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard let head = Self.readHead(client, until: min(deadline, MonotonicClock.now() + Self.requestTimeLimit)) else {
                Self.answer(client, status: "431 Request Header Fields Too Large", body: "")
                continue
            }
            guard let target = Self.requestTarget(head) else {
                Self.answer(client, status: "400 Bad Request", body: "")
                continue
            }
            let (requestPath, query) = Self.split(target)
            guard target.method == "GET", requestPath == path else {
                Self.answer(client, status: "404 Not Found", body: "")
                continue
            }
            Self.answer(client, status: "200 OK", body: page, contentType: "text/html; charset=utf-8")
            return FormQuery.parse(query)
        }
    }

    /// The bytes up to the blank line ending the head; nil when it is too large, or the client
    /// stops or is too slow before sending it.
    static func readHead(_ client: Int32, until deadline: Double) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while bytes.count <= maximumHeadSize {
            if let end = headEnd(bytes) { return Array(bytes[..<end]) }
            let left = deadline - MonotonicClock.now()
            guard left > 0 else { return nil }
            var p = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            bytes += buffer[..<n]
        }
        return nil
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    /// The method and target of the request line, when it is one.
    static func requestTarget(_ head: [UInt8]) -> (method: String, target: String)? {
        let line = head.prefix { $0 != 13 && $0 != 10 }
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else { return nil }
        return (parts[0], parts[1])
    }

    static func split(_ request: (method: String, target: String)) -> (path: String, query: String) {
        guard let q = request.target.firstIndex(of: "?") else { return (request.target, "") }
        return (String(request.target[..<q]), String(request.target[request.target.index(after: q)...]))
    }

    static func answer(_ client: Int32, status: String, body: String, contentType: String = "text/plain") {
        let bytes = Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n\(body)".utf8)
        var offset = 0
        let deadline = MonotonicClock.now() + 2
        while offset < bytes.count, MonotonicClock.now() < deadline {
            let n = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n } else if n < 0, errno != EINTR { return }
        }
    }
}

/// `application/x-www-form-urlencoded` as Python's `parse_qs` reads a query: `&`-separated
/// `name=value` pairs, `+` as a space, `%XX` decoded; the first value of a repeated name wins.
public enum FormQuery {
    public static func parse(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if out[name] == nil { out[name] = parts.count == 2 ? decode(parts[1]) : "" }
        }
        return out
    }

    static func decode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x2B { out.append(0x20); i += 1; continue }
            if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
