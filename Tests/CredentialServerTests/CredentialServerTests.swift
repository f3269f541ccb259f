import Testing
import AWSCore
import SigV4
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import CredentialServer

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let seconds: Mutex<Int>
    init(_ start: Int) { seconds = Mutex(start) }
    var now: Int { seconds.withLock { $0 } }
    func advance(_ s: Int) { seconds.withLock { $0 += s } }
}

/// Hands out numbered credentials, each valid `lifetime` seconds, or fails while told to.
final class NumberedCredentials: Sendable {
    private let state = Mutex((issued: 0, failing: false))
    let lifetime: Int
    let clock: @Sendable () -> Int

    init(lifetime: Int, clock: @escaping @Sendable () -> Int) {
        self.lifetime = lifetime
        self.clock = clock
    }

    var issued: Int { state.withLock { $0.issued } }
    func fail(_ yes: Bool) { state.withLock { $0.failing = yes } }

    struct Refused: Error, CustomStringConvertible { var description: String { "STS said no" } }

    @Sendable func next() throws -> ServedCredentials {
        let n = try state.withLock { s throws -> Int in
            if s.failing { throw Refused() }
            s.issued += 1
            return s.issued
        }
        return ServedCredentials(credentials: SigningCredentials(accessKeyId: "ASIATESTKEY00000000\(n)", secretAccessKey: "secret-\(n)-wJalrXUtnFEMI",
                                                                 sessionToken: "token-\(n)"), expiration: clock() + lifetime)
    }
}

struct CredentialServerTests {
    func start(_ options: CredentialServerOptions = CredentialServerOptions(connectionTimeout: 0.5)) throws -> (CredentialServer, NumberedCredentials) {
        let source = NumberedCredentials(lifetime: 3600, clock: { WallClock.now() })
        return (try CredentialServer.start(options: options, fetch: source.next), source)
    }

    @Test func servesTheContainerDocumentOnlyWithTheToken() throws {
        let (server, _) = try start()
        defer { server.stop() }
        let client = RawClient(port: server.port)
        let host = "Host: 127.0.0.1:\(server.port)"
        let ok = try #require(client.get("/credentials", headers: [host, "Authorization: \(server.token)", "Accept: application/json"]))
        #expect(ok.statusLine == "HTTP/1.1 200 OK")
        #expect(ok.contains("Content-Type: application/json\r\n") && ok.contains("Cache-Control: no-store\r\n") && ok.contains("Connection: close\r\n"))
        let json = try JSONValue.parse(ok.body)
        #expect(json["AccessKeyId"]?.stringValue == "ASIATESTKEY000000001" && json["SecretAccessKey"]?.stringValue == "secret-1-wJalrXUtnFEMI")
        #expect(json["Token"]?.stringValue == "token-1")
        #expect(abs((json["Expiration"]?.stringValue.flatMap(Timestamp.parse) ?? 0) - WallClock.now() - 3600) < 5)
        #expect(server.url == "http://127.0.0.1:\(server.port)/credentials")
        #expect(server.environment == ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": server.token])
        #expect(server.token.count == 64 && server.token.allSatisfy { $0.isHexDigit })
    }

    @Test func refusesEverythingElse() throws {
        let (server, _) = try start()
        defer { server.stop() }
        let client = RawClient(port: server.port)
        let host = "Host: 127.0.0.1:\(server.port)"
        let token = "Authorization: \(server.token)"
        // One character off (never the token itself: its last character may be a 0).
        let wrong = server.token.dropLast() + (server.token.last == "0" ? "1" : "0")
        let cases: [(String?, String)] = [
            (client.get("/credentials", headers: [host]), "HTTP/1.1 401 Unauthorized"),
            (client.get("/credentials", headers: [host, "Authorization: \(wrong)"]), "HTTP/1.1 403 Forbidden"),
            (client.get("/credentials", headers: [host, "Authorization: Bearer \(server.token)"]), "HTTP/1.1 403 Forbidden"),
            (client.get("/credentials", headers: [host, "Authorization:"]), "HTTP/1.1 403 Forbidden"),
            (client.get("/", headers: [host, token]), "HTTP/1.1 404 Not Found"),
            (client.get("/credentials/../x", headers: [host, token]), "HTTP/1.1 404 Not Found"),
            (client.send("POST /credentials HTTP/1.1\r\n\(host)\r\n\(token)\r\nContent-Length: 0\r\n\r\n"), "HTTP/1.1 405 Method Not Allowed"),
            (client.get("/credentials", headers: ["Host: evil.example:\(server.port)", token]), "HTTP/1.1 403 Forbidden"),
            (client.get("/credentials", headers: [token]), "HTTP/1.1 403 Forbidden"),
            (client.send("HELLO\r\n\r\n"), "HTTP/1.1 400 Bad Request"),
            (client.send([0xFF, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A]), "HTTP/1.1 400 Bad Request"),
            (client.send("GET /credentials HTTP/1.1\r\nno colon here\r\n\r\n"), "HTTP/1.1 400 Bad Request"),
            (client.send("GET /credentials HTTP/1.1\r\n" + String(repeating: "X-Pad: \(String(repeating: "a", count: 100))\r\n", count: 100)),
             "HTTP/1.1 431 Request Header Fields Too Large"),
        ]
        for (answer, status) in cases {
            #expect(answer?.statusLine == status)
            #expect(answer.map { !$0.contains("secret-1") && !$0.contains("token-1") && !$0.contains(server.token) } == true)
        }
        #expect(server.statistics.refused == cases.count && server.statistics.served == 0)
    }

    @Test func aSlowClientTimesOutWithoutHoldingUpOthers() throws {
        let (server, _) = try start()
        defer { server.stop() }
        let client = RawClient(port: server.port)
        let slow = client.connect()
        defer { close(slow) }
        _ = Array("GET /credentials HTTP/1.1\r\n".utf8).withUnsafeBytes { send(slow, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let ok = client.get("/credentials", headers: ["Host: 127.0.0.1:\(server.port)", "Authorization: \(server.token)"])
        #expect(ok?.statusLine == "HTTP/1.1 200 OK")
        let started = MonotonicClock.now()
        #expect(client.readAll(slow).statusLine == "HTTP/1.1 408 Request Timeout")
        #expect(MonotonicClock.now() - started < 3)
    }

    @Test func stopsAndIsGone() throws {
        let (server, _) = try start()
        let (other, _) = try start()
        #expect(server.port != other.port && server.token != other.token)
        server.stop()
        server.stop()
        #expect(RawClient(port: server.port).send("GET /credentials HTTP/1.1\r\n\r\n") == nil)
        #expect(RawClient(port: other.port).get("/credentials", headers: ["Host: 127.0.0.1:\(other.port)", "Authorization: \(other.token)"])?.statusLine
                == "HTTP/1.1 200 OK")
        other.stop()
    }

    @Test func aFirstFailureIsReportedBeforeAnythingListens() {
        let source = NumberedCredentials(lifetime: 60, clock: { WallClock.now() })
        source.fail(true)
        #expect(throws: CredentialServerError.firstCredentials("STS said no")) { try CredentialServer.start(fetch: source.next) }
    }

    @Test func refreshesBeforeExpiryAndServesTheLastGoodOnesOnFailure() {
        let clock = TestClock(1_000_000)
        let source = NumberedCredentials(lifetime: 3600, clock: { clock.now })
        let options = CredentialServerOptions(refreshBefore: 20 * 60, minimumInterval: 60, retryAfterFailure: 15, now: { clock.now })
        let refresher = CredentialRefresher(first: try! source.next(), fetch: source.next, options: options)
        #expect(refresher.dueAt == 1_000_000 + 3600 - 1200)
        clock.advance(2399)
        #expect(refresher.credentials()?.credentials.sessionToken == "token-1")
        clock.advance(1)
        #expect(refresher.credentials()?.credentials.sessionToken == "token-2" && refresher.refreshes == 1)
        // Failing: the previous credentials until they expire, a retry every 15 s, then nothing.
        clock.advance(2400)
        source.fail(true)
        #expect(refresher.credentials()?.credentials.sessionToken == "token-2" && refresher.failures == 1)
        #expect(refresher.dueAt == clock.now + 15)
        clock.advance(10)
        _ = refresher.credentials()
        #expect(refresher.failures == 1)
        clock.advance(1200)
        #expect(refresher.credentials() == nil && refresher.failures == 2)
        source.fail(false)
        clock.advance(15)
        #expect(refresher.credentials()?.credentials.sessionToken == "token-3")
        // Credentials shorter-lived than the refresh window: not fetched more than once a minute,
        // but always before the last 30 seconds.
        let short = NumberedCredentials(lifetime: 90, clock: { clock.now })
        let r2 = CredentialRefresher(first: try! short.next(), fetch: short.next, options: options)
        #expect(r2.dueAt == clock.now + 60)
        let tiny = NumberedCredentials(lifetime: 40, clock: { clock.now })
        let r3 = CredentialRefresher(first: try! tiny.next(), fetch: tiny.next, options: options)
        #expect(r3.dueAt == clock.now + 10)
    }

    @Test func longTermKeysGetAnExpiryAnHourAhead() {
        let served = ServedCredentials(credentials: SigningCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s"), expiration: nil)
        let document = CredentialServer.document(served, expiration: 1_800_003_600)
        #expect(document == "{\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"s\",\"Expiration\":\"2027-01-15T09:00:00Z\"}")
    }
}

extension ServedCredentials: Equatable {
    public static func == (a: ServedCredentials, b: ServedCredentials) -> Bool { a.credentials == b.credentials && a.expiration == b.expiration }
}

/// A source whose refreshes (every call after the first) take `delay` seconds, as a slow STS would.
final class SlowCredentials: Sendable {
    let inner: NumberedCredentials
    let delay: UInt32
    private let calls = Mutex(0)
    init(_ inner: NumberedCredentials, delayMicroseconds: UInt32) { self.inner = inner; delay = delayMicroseconds }
    @Sendable func next() throws -> ServedCredentials {
        let n = calls.withLock { c in c += 1; return c }
        if n > 1 { usleep(delay) }
        return try inner.next()
    }
}

struct CredentialServerAvailabilityTests {
    @Test func aSlowRefreshDoesNotHoldUpServing() throws {
        let clock = TestClock(WallClock.now())
        let source = SlowCredentials(NumberedCredentials(lifetime: 3600, clock: { clock.now }), delayMicroseconds: 2_000_000)
        let server = try CredentialServer.start(options: CredentialServerOptions(connectionTimeout: 0.5, now: { clock.now }), fetch: source.next)
        defer { server.stop() }
        let client = RawClient(port: server.port)
        let headers = ["Host: 127.0.0.1:\(server.port)", "Authorization: \(server.token)"]
        clock.advance(3600 - 1200)   // the refresh is due; it takes 2 s
        var answered = 0
        let started = MonotonicClock.now()
        while MonotonicClock.now() - started < 1.5 {
            let asked = MonotonicClock.now()
            let answer = client.get("/credentials", headers: headers)
            #expect(answer?.statusLine == "HTTP/1.1 200 OK")
            #expect(answer?.body.contains("token-1") == true)
            #expect(MonotonicClock.now() - asked < 0.5)
            answered += 1
        }
        #expect(answered >= 5)
        // Once the refresh is over, the new credentials are served.
        var fresh = false
        for _ in 0..<40 where !fresh {
            usleep(100_000)
            fresh = client.get("/credentials", headers: headers)?.body.contains("token-2") == true
        }
        #expect(fresh && server.statistics.refreshes == 1)
    }

    @Test func connectionsThatNeverFinishARequestCannotKeepAClientOut() throws {
        let source = NumberedCredentials(lifetime: 3600, clock: { WallClock.now() })
        let server = try CredentialServer.start(options: CredentialServerOptions(connectionTimeout: 30, maximumConnections: 4), fetch: source.next)
        defer { server.stop() }
        let client = RawClient(port: server.port)
        // Every slot taken by a connection that sent half a request and will wait 30 s.
        var squatters: [Int32] = []
        for _ in 0..<12 {
            let fd = client.connect()
            _ = Array("GET /credentials HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            squatters.append(fd)
        }
        defer { squatters.forEach { close($0) } }
        usleep(200_000)
        let headers = ["Host: 127.0.0.1:\(server.port)", "Authorization: \(server.token)"]
        for _ in 0..<10 {
            let started = MonotonicClock.now()
            #expect(client.get("/credentials", headers: headers)?.statusLine == "HTTP/1.1 200 OK")
            #expect(MonotonicClock.now() - started < 1)
        }
        // The oldest squatters were told why they were closed.
        #expect(client.readAll(squatters[0]).statusLine == "HTTP/1.1 503 Service Unavailable")
    }
}
