#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore
import SecretCrypto

/// The server's thread: one `poll` over the listening socket, the stop pipe and every open
/// connection. Each connection sends one request, gets one answer and is closed; one that
/// sends too much, too little for too long, or nonsense is answered with an error and closed.
/// Credentials are refreshed here too, when due, whether or not a request comes.
final class ServerLoop {
    struct Connection {
        var fd: Int32
        var buffer: [UInt8]
        var deadline: Double
    }

    let listener: LoopbackListener
    let stopFD: Int32
    let token: [UInt8]
    let routes: ServerRoutes
    let options: CredentialServerOptions
    let statistics: CredentialServer.StatisticsCounter
    var connections: [Connection] = []

    init(listener: LoopbackListener, stopFD: Int32, token: [UInt8], routes: ServerRoutes,
         options: CredentialServerOptions, statistics: CredentialServer.StatisticsCounter) {
        self.listener = listener
        self.stopFD = stopFD
        self.token = token
        self.routes = routes
        self.options = options
        self.statistics = statistics
    }

    func run() {
        defer {
            for c in connections { close(c.fd) }
            close(listener.fd)
            close(stopFD)
        }
        while true {
            var fds = [pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0), pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
            fds += connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
            if ready < 0, errno != EINTR { options.log("credentials server: poll failed: \(String(cString: strerror(errno)))"); return }
            if fds[0].revents != 0 { return }
            if fds[1].revents != 0 { acceptWaiting() }
            for (index, p) in fds.enumerated().dropFirst(2).reversed() where p.revents != 0 {
                readFrom(index - 2)
            }
            expireSlowConnections()
            routes.forgetIfAsked()
            for refresher in routes.all where options.now() >= refresher.dueAt { _ = refresher.credentials(); record() }
        }
    }

    /// Until the next connection deadline or refresh, at most a second.
    func timeoutMilliseconds() -> Int32 {
        let now = MonotonicClock.now()
        var wait = 1.0
        for c in connections { wait = min(wait, max(0, c.deadline - now)) }
        if let due = routes.dueAt { wait = min(wait, max(0, Double(due - options.now()))) }
        return Int32(wait * 1000)
    }

    func acceptWaiting() {
        while let fd = listener.accept() {
            guard connections.count < options.maximumConnections else {
                fd.sendAll(HTTPResponse.error(503, code: "Busy", message: "too many connections").bytes, seconds: 0.1)
                close(fd)
                count(refused: true)
                continue
            }
            connections.append(Connection(fd: fd, buffer: [], deadline: MonotonicClock.now() + options.connectionTimeout))
        }
    }

    func readFrom(_ index: Int) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(connections[index].fd, $0.baseAddress, $0.count, 0) }
        if n < 0, errno == EAGAIN || errno == EINTR { return }
        if n <= 0 { finish(index, nil); return }
        connections[index].buffer += chunk[0..<n]
        switch HTTPRequestHead.parse(connections[index].buffer) {
        case .incomplete: return
        case .tooLarge: finish(index, .error(431, code: "RequestTooLarge", message: "the request head is over 8192 bytes"))
        case .malformed(let reason): finish(index, .error(400, code: "BadRequest", message: reason))
        case .complete(let head): finish(index, answer(head))
        }
    }

    func expireSlowConnections() {
        let now = MonotonicClock.now()
        for index in connections.indices.reversed() where connections[index].deadline <= now {
            finish(index, .error(408, code: "RequestTimeout", message: "no complete request in time"))
        }
    }

    /// Answers (when there is an answer) and closes the connection.
    func finish(_ index: Int, _ response: HTTPResponse?) {
        let connection = connections.remove(at: index)
        if let response {
            connection.fd.sendAll(response.bytes, seconds: 2)
            count(refused: response.status != 200)
        }
        close(connection.fd)
    }

    func answer(_ head: HTTPRequestHead) -> HTTPResponse {
        let path = head.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.target
        routes.forgetIfAsked()
        guard let refresher = routes.refresher(for: path) else { return .error(404, code: "NotFound", message: "no such path") }
        guard head.method == "GET" else { return .error(405, code: "MethodNotAllowed", message: "only GET") }
        guard let host = head.headers["host"], host == "127.0.0.1:\(listener.port)" || host == "localhost:\(listener.port)" else {
            return .error(403, code: "Forbidden", message: "the Host header is not this server")
        }
        guard let authorization = head.headers["authorization"] else {
            return .error(401, code: "Unauthorized", message: "the Authorization header is missing")
        }
        guard SecretCrypto.constantTimeEqual(Array(authorization.utf8), token) else {
            return .error(403, code: "Forbidden", message: "the Authorization header does not match")
        }
        let served = refresher.credentials()
        record()
        guard let served else {
            return .error(503, code: "CredentialsUnavailable", message: "no valid credentials: refreshing them failed")
        }
        return .json(200, CredentialServer.document(served, expiration: refresher.expiration(of: served)))
    }

    func count(refused: Bool) {
        statistics.update { if refused { $0.refused += 1 } else { $0.served += 1 } }
    }

    func record() {
        let (r, f) = routes.all.reduce((0, 0)) { ($0.0 + $1.refreshes, $0.1 + $1.failures) }
        statistics.update { $0.refreshes = r; $0.refreshFailures = f }
    }
}
