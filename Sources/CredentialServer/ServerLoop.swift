#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore
import SecretCrypto

/// The server's thread: one `poll` over the listening socket, the stop pipe and every open
/// connection. Each connection sends one request, gets one answer and is closed; one that
/// sends too much, too little for too long (`connectionTimeout`, short: a request head on
/// loopback takes milliseconds), or nonsense is answered with an error and closed. Every open
/// connection is unauthenticated (the token is in the head, answered as soon as it is whole), so
/// none may keep another out: when all `maximumConnections` slots are taken, a new connection
/// evicts the oldest. Refreshes are started here when due, and run on a thread of their own
/// (`CredentialRefresher`): answering never waits for STS.
final class ServerLoop {
    struct Connection {
        var fd: Int32
        var buffer: [UInt8]
        var opened: Double
        var deadline: Double
    }

    /// A connection younger than this is never evicted: long enough for any client to send its
    /// head (an SDK does so at once), short enough that squatters turn over quickly. While every
    /// slot holds one this young, new connections wait in the kernel's queue, in their order.
    static let evictionGrace = 0.25

    let listener: LoopbackListener
    let stopFD: Int32
    let token: [UInt8]
    let refresher: CredentialRefresher
    let options: CredentialServerOptions
    let statistics: CredentialServer.StatisticsCounter
    var connections: [Connection] = []

    init(listener: LoopbackListener, stopFD: Int32, token: [UInt8], refresher: CredentialRefresher,
         options: CredentialServerOptions, statistics: CredentialServer.StatisticsCounter) {
        self.listener = listener
        self.stopFD = stopFD
        self.token = token
        self.refresher = refresher
        self.options = options
        self.statistics = statistics
    }

    func run() {
        defer {
            refresher.stop()
            for c in connections { close(c.fd) }
            close(listener.fd)
            close(stopFD)
        }
        while true {
            // The listener is watched only while a connection can be taken in.
            let listening: Int16 = canTakeAConnection(now: MonotonicClock.now()) ? Int16(POLLIN) : 0
            var fds = [pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0), pollfd(fd: listener.fd, events: listening, revents: 0)]
            fds += connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
            if ready < 0, errno != EINTR { options.log("credentials server: poll failed: \(String(cString: strerror(errno)))"); return }
            if fds[0].revents != 0 { return }
            // Connections already open are read first: a new one may evict the oldest.
            for (index, p) in fds.enumerated().dropFirst(2).reversed() where p.revents != 0 {
                readFrom(index - 2)
            }
            if fds[1].revents != 0 { acceptWaiting() }
            expireSlowConnections()
            refresher.refreshInBackgroundIfDue()
        }
    }

    /// Whether a waiting connection can be accepted now: a slot is free, or the oldest
    /// connection is past its grace and can be evicted.
    func canTakeAConnection(now: Double) -> Bool {
        connections.count < options.maximumConnections || connections[0].opened + Self.evictionGrace <= now
    }

    /// Until the next connection deadline, eviction or refresh, at most a second.
    func timeoutMilliseconds() -> Int32 {
        let now = MonotonicClock.now()
        var wait = 1.0
        for c in connections { wait = min(wait, max(0, c.deadline - now)) }
        if let oldest = connections.first, connections.count >= options.maximumConnections {
            wait = min(wait, max(0, oldest.opened + Self.evictionGrace - now))
        }
        if !refresher.isRefreshing {
            wait = min(wait, max(0, Double(refresher.dueAt - options.now())))
        }
        return Int32(wait * 1000)
    }

    /// Accepts waiting connections while one can be taken in (evicting the oldest when every
    /// slot is taken and it is past its grace), and reads what each new one has already sent
    /// (an SDK sends its request with the connection).
    func acceptWaiting() {
        while canTakeAConnection(now: MonotonicClock.now()) {
            guard let fd = listener.accept() else { return }
            if connections.count >= options.maximumConnections {
                finish(0, .error(503, code: "Busy", message: "evicted: every connection slot is taken by one that has not sent a request"))
            }
            let now = MonotonicClock.now()
            connections.append(Connection(fd: fd, buffer: [], opened: now, deadline: now + options.connectionTimeout))
            readFrom(connections.count - 1)
        }
    }

    func readFrom(_ index: Int) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(connections[index].fd, $0.baseAddress, $0.count, 0) }
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
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
        guard path == CredentialServer.path else { return .error(404, code: "NotFound", message: "no such path") }
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
        guard let (served, expiration) = refresher.held() else {
            refresher.refreshInBackgroundIfDue()
            return .error(503, code: "CredentialsUnavailable", message: "no valid credentials: refreshing them failed")
        }
        return .json(200, CredentialServer.document(served, expiration: expiration))
    }

    func count(refused: Bool) {
        statistics.update { if refused { $0.refused += 1 } else { $0.served += 1 } }
    }
}
