#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore
import SecretCrypto
import Synchronization

public enum CredentialServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case socket(String)
    case thread(String)
    /// The first credentials could not be had; the message is the closure's error.
    case firstCredentials(String)

    public var description: String {
        switch self {
        case .socket(let m), .thread(let m): return "credentials server: \(m)"
        case .firstCredentials(let m): return m
        }
    }
}

/// How the server refreshes and how patient it is with clients.
public struct CredentialServerOptions: Sendable {
    /// Refresh when fewer seconds than this remain. 20 minutes: the SDKs refresh their own copy
    /// in the last 15 (botocore's advisory window), so they always find fresher credentials here.
    public var refreshBefore: Int
    /// While credentials are still good, refresh at most this often (credentials shorter-lived
    /// than `refreshBefore` would otherwise be fetched on every request).
    public var minimumInterval: Int
    public var retryAfterFailure: Int
    /// Seconds a client has to send its whole request head (2: an SDK on loopback sends it at
    /// once; a peer that dawdles gives its slot back soon).
    public var connectionTimeout: Double
    public var maximumConnections: Int
    public var now: @Sendable () -> Int
    /// Where refreshes are reported (never a secret).
    public var log: @Sendable (String) -> Void
    /// Where a failed refresh is reported (never a secret); `log` unless given.
    public var warn: @Sendable (String) -> Void

    /// A refresh is forced this many seconds before expiry whatever `minimumInterval` says.
    static let lastMoment = 30

    public init(refreshBefore: Int = 20 * 60, minimumInterval: Int = 60, retryAfterFailure: Int = 15, connectionTimeout: Double = 2,
                maximumConnections: Int = 16, now: @escaping @Sendable () -> Int = { WallClock.now() },
                log: @escaping @Sendable (String) -> Void = { _ in }, warn: (@Sendable (String) -> Void)? = nil) {
        self.refreshBefore = refreshBefore
        self.minimumInterval = minimumInterval
        self.retryAfterFailure = retryAfterFailure
        self.connectionTimeout = connectionTimeout
        self.maximumConnections = maximumConnections
        self.now = now
        self.log = log
        self.warn = warn ?? log
    }
}

/// A credentials endpoint on 127.0.0.1 speaking the container-credentials protocol, for
/// `creds exec --server`: a child given `AWS_CONTAINER_CREDENTIALS_FULL_URI` and
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` (see `environment`) fetches
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` from it, and every AWS SDK then
/// refreshes on its own before they expire. The port is random, the token is 32 random bytes;
/// a request without the token (401), with another (403), for another path (404) or host (403),
/// with another method (405), oversized (431), malformed (400) or too slow (408) gets nothing.
/// It runs on its own thread (POSIX sockets and `poll`) until `stop()`.
///
///     let server = try CredentialServer.start { try fetchCredentials() }
///     child.environment += server.environment
///     … wait for the child …
///     server.stop()
public final class CredentialServer: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var served = 0
        public var refused = 0
        public var refreshes = 0
        public var refreshFailures = 0
    }

    public static let path = "/credentials"

    public let port: Int
    /// The bearer token clients must send as `Authorization` (a secret: pass it only in the child's environment).
    public let token: String
    private let stopFD: Int32
    private let thread: Mutex<pthread_t?>
    private let counters: StatisticsCounter
    private let refresher: CredentialRefresher

    public var url: String { "http://127.0.0.1:\(port)\(Self.path)" }

    /// The variables a child needs, and nothing else (no key variables).
    public var environment: [String: String] {
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": token]
    }

    public var statistics: Statistics {
        var s = counters.value
        s.refreshes = refresher.refreshes
        s.refreshFailures = refresher.failures
        return s
    }

    /// Fetches the first credentials (so that a failure is reported before any child starts),
    /// then listens. `fetch` is called again on a thread of its own whenever a refresh is due,
    /// while the server goes on answering with the credentials it holds.
    public static func start(options: CredentialServerOptions = CredentialServerOptions(),
                             fetch: @escaping @Sendable () throws -> ServedCredentials) throws(CredentialServerError) -> CredentialServer {
        let first: ServedCredentials
        do { first = try fetch() } catch { throw .firstCredentials("\(error)") }
        let tokenBytes: [UInt8]
        do { tokenBytes = try SecretCrypto.randomBytes(32) } catch { throw .socket("cannot draw a random token: \(error)") }
        let listener = try LoopbackListener.open()
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0, fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC) == 0 else {
            close(listener.fd)
            throw .socket("pipe: \(String(cString: strerror(errno)))")
        }
        let token = hex(tokenBytes)
        let counters = StatisticsCounter()
        let refresher = CredentialRefresher(first: first, fetch: fetch, options: options)
        let loop = ServerLoop(listener: listener, stopFD: pipeFDs[0], token: Array(token.utf8), refresher: refresher,
                              options: options, statistics: counters)
        let server = CredentialServer(port: listener.port, token: token, stopFD: pipeFDs[1], counters: counters, refresher: refresher)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(loop).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<ServerLoop>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<ServerLoop>.fromOpaque(box).release()
            close(listener.fd); close(pipeFDs[0])
            throw .thread("cannot start its thread: \(String(cString: strerror(status)))")
        }
        server.thread.withLock { $0 = thread }
        return server
    }

    private init(port: Int, token: String, stopFD: Int32, counters: StatisticsCounter, refresher: CredentialRefresher) {
        self.port = port
        self.token = token
        self.stopFD = stopFD
        self.thread = Mutex(nil)
        self.counters = counters
        self.refresher = refresher
    }

    /// Stops listening, closes every connection and waits for the thread; safe to call twice.
    public func stop() {
        guard let thread = self.thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) else { return }
        var byte: UInt8 = 1
        _ = write(stopFD, &byte, 1)
        pthread_join(thread, nil)
        close(stopFD)
    }

    deinit { stop() }

    /// The container-credentials document.
    static func document(_ served: ServedCredentials, expiration: Int) -> String {
        let c = served.credentials
        var members: [(String, JSONValue)] = [("AccessKeyId", .string(c.accessKeyId)), ("SecretAccessKey", .string(c.secretAccessKey))]
        if let token = c.sessionToken { members.append(("Token", .string(token))) }
        members.append(("Expiration", .string(Timestamp.format(expiration))))
        return JSONValue.object(members).serialized()
    }

    /// The counts, shared by the server's thread (which updates them) and its owner.
    final class StatisticsCounter: Sendable {
        private let state = Mutex(Statistics())
        var value: Statistics { state.withLock { $0 } }
        func update(_ change: (inout Statistics) -> Void) { state.withLock { change(&$0) } }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}
