import AWSClients
import AWSConfig
import AWSCore
import Foundation
import SecretCrypto
import Testing
import TransportTesting
@testable import AWSCredentials

/// The `aws login` cache file, the refresh window on an injected clock, and the refresh itself
/// on a scripted sign-in service: what is sent (body, DPoP proof), what is written back, and
/// each refusal with the file left as it was.
struct LoginSessionTests {
    static let session = "arn:aws:iam::123456789012:user/alice"
    /// sha256 of the session, as botocore's `generate_login_cache_key` gives it.
    static let fileName = "b7d71d383b9557a9bad4c3346c50365819226484c6824a0fdef66637be339db0.json"
    static let now = 1_796_666_400

    static func document(expiresAt: Int = now + 900, extra: String = "") -> String {
        """
        {"accessToken": {"accessKeyId": "ASIAOLD0000000000001", "secretAccessKey": "old-secret", "sessionToken": "old-token",
        "accountId": "123456789012", "expiresAt": "\(Timestamp.format(expiresAt))"}, "tokenType": "aws_sigv4",
        "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "old-refresh", "idToken": "id.token.here",
        "dpopKey": \(String(reflecting: DPoPProofTests.pem))\(extra)}
        """
    }

    final class Home {
        let directory: String
        init() throws {
            directory = NSTemporaryDirectory() + "login-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
        var file: String { "\(directory)/\(LoginSessionTests.fileName)" }
        func write(_ text: String) throws { try text.write(toFile: file, atomically: true, encoding: .utf8) }
        func read() throws -> String { try String(contentsOfFile: file, encoding: .utf8) }
    }

    static let grant = """
        {"accessToken": {"accessKeyId": "ASIANEW0000000000002", "secretAccessKey": "new-secret", "sessionToken": "new-token"},
         "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "new-refresh"}
        """

    static func refresher(_ home: Home, _ transport: ScriptedTransport, now: Int = now) -> LoginSessionRefresher {
        let core = ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: 3, backoffScale: 0))
        let endpoint = ResolvedEndpoint(url: RequestURL(scheme: "https", host: "us-east-1.signin.aws.amazon.com"), signingRegion: "us-east-1", source: "test")
        return LoginSessionRefresher(session: session, cache: LoginTokenCache(directory: home.directory),
                                     signIn: { SignInClient(client: AWSClient(core: core, keys: nil), endpoint: endpoint) },
                                     loginCommand: "credctl login --profile dev", now: { now }, newProofId: { "proof-id-1" })
    }

    /// The message of the `noCredentials` error `body` throws (nil for anything else).
    static func noCredentials(_ body: () throws(AWSError) -> Void) -> String? {
        do { try body() } catch { if case .noCredentials(let m) = error { return m } }
        return nil
    }

    // MARK: the cache file

    @Test func cacheKeyIsTheSHA256OfTheSession() {
        #expect(LoginTokenCache.key(Self.session) + ".json" == Self.fileName)
        #expect(LoginTokenCache(directory: "/c").path(for: Self.session) == "/c/" + Self.fileName)
    }

    @Test func aCachedSessionParses() throws {
        let token = try LoginSessionToken(parsing: Array(Self.document().utf8))
        #expect(token.accessKeyId == "ASIAOLD0000000000001" && token.accountId == "123456789012" && token.expiresAt == Self.now + 900)
        #expect(token.clientId == "arn:aws:signin:::devtools/same-device" && token.refreshToken == "old-refresh")
        #expect(token.dpopKeyDER == (try DPoPProofTests.key()).der)
        #expect(!"\(token)".contains("old-secret") && !"\(token)".contains("old-token") && !"\(token)".contains("old-refresh"))
    }

    @Test(arguments: [
        ("", "not a JSON object (0 bytes, not shown)"),
        ("[1]", "not a JSON object (3 bytes, not shown)"),
        (#"{"accessToken": {}, "clientId": "c"}"#, "missing required fields: refreshToken, dpopKey"),
        (#"{"accessToken": "x", "clientId": "c", "refreshToken": "r", "dpopKey": "k"}"#, "accessToken is not an object"),
        (#"{"accessToken": {"accessKeyId": "a", "secretAccessKey": "s", "sessionToken": "t", "expiresAt": "2026-01-01T00:00:00Z"}, "clientId": "c", "refreshToken": "r", "dpopKey": "k"}"#,
         "accessToken is missing accountId"),
        (#"{"accessToken": {"accessKeyId": 7, "secretAccessKey": "s", "sessionToken": "t", "accountId": "1", "expiresAt": "2026-01-01T00:00:00Z"}, "clientId": "c", "refreshToken": "r", "dpopKey": "k"}"#,
         "accessToken.accessKeyId is not a string"),
        (#"{"accessToken": {"accessKeyId": "a", "secretAccessKey": "s", "sessionToken": "t", "accountId": "1", "expiresAt": "soon"}, "clientId": "c", "refreshToken": "r", "dpopKey": "k"}"#,
         "accessToken.expiresAt is not a time"),
        (#"{"accessToken": {"accessKeyId": "a", "secretAccessKey": "", "sessionToken": "t", "accountId": "1", "expiresAt": "2026-01-01T00:00:00Z"}, "clientId": "c", "refreshToken": "r", "dpopKey": "k"}"#,
         "accessToken.secretAccessKey is empty"),
        (#"{"accessToken": {"accessKeyId": "a", "secretAccessKey": "s", "sessionToken": "t", "accountId": "1", "expiresAt": "2026-01-01T00:00:00Z"}, "clientId": null, "refreshToken": "r", "dpopKey": "k"}"#,
         "clientId is not a string"),
    ])
    func hostileDocumentsAreRefusedByName(text: String, reason: String) {
        #expect(throws: LoginSessionToken.Malformed(reason: reason)) { try LoginSessionToken(parsing: Array(text.utf8)) }
    }

    @Test func aRefreshKeepsEveryOtherMemberInPlace() throws {
        let token = try LoginSessionToken(parsing: Array(Self.document(extra: #", "futureField": {"kept": true}"#).utf8))
        let fresh = token.refreshed(accessKeyId: "ASIANEW", secretAccessKey: "s2", sessionToken: "t2", expiresAt: Self.now + 900, refreshToken: "r2")
        guard case .object(let members) = fresh.json else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["accessToken", "tokenType", "clientId", "refreshToken", "idToken", "dpopKey", "futureField"])
        #expect(fresh.json["accessToken"] == .object([("accessKeyId", .string("ASIANEW")), ("secretAccessKey", .string("s2")),
                                                       ("sessionToken", .string("t2")), ("accountId", .string("123456789012")),
                                                       ("expiresAt", .string("2026-12-07T18:15:00Z"))]))
        #expect(fresh.json["refreshToken"] == .string("r2") && fresh.json["futureField"] == token.json["futureField"])
    }

    @Test func theKeyIsReadAsBotocoreReadsIt() throws {
        let crlf = DPoPProofTests.pem.replacingOccurrences(of: "\n", with: "\r\n")
        let token = try LoginSessionToken(parsing: Array(Self.document().replacingOccurrences(of: String(reflecting: DPoPProofTests.pem),
                                                                                                 with: String(reflecting: crlf)).utf8))
        #expect(token.dpopKeyDER == (try DPoPProofTests.key()).der)
    }

    @Test func filesThatAreNotSessionsAreRefusedWithoutHanging() throws {
        let home = try Home()
        let cache = LoginTokenCache(directory: home.directory)
        #expect(throws: LoginTokenCache.LoadFailure.missing(path: home.file)) { try cache.load(Self.session) }
        #expect(mkfifo(home.file, 0o600) == 0)
        #expect(throws: LoginTokenCache.LoadFailure.unusable(path: home.file, reason: "it is not a regular file")) { try cache.load(Self.session) }
        unlink(home.file)
        try home.write(String(repeating: " ", count: 70_000))
        #expect(throws: LoginTokenCache.LoadFailure.unusable(path: home.file, reason: "it is 70000 bytes, more than a session file can be (65536)")) {
            try cache.load(Self.session)
        }
    }

    // MARK: the refresh window (botocore's: refresh when 5 minutes or less remain)

    @Test(arguments: [(301, false), (300, true), (0, true), (-86_400, true), (3600, false)])
    func refreshWindow(remaining: Int, refreshes: Bool) throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now + remaining))
        let transport = ScriptedTransport([.status(200, Self.grant)])
        let outcome = try Self.refresher(home, transport).credentials()
        #expect(outcome.refreshed == refreshes)
        #expect(transport.requests.count == (refreshes ? 1 : 0))
        #expect(outcome.token.accessKeyId == (refreshes ? "ASIANEW0000000000002" : "ASIAOLD0000000000001"))
    }

    @Test func theRefreshSendsTheGrantWithAProofAndWritesBack() throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now + 60))
        let transport = ScriptedTransport([.status(200, Self.grant)])
        let outcome = try Self.refresher(home, transport).credentials()
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST" && request.url.description == "https://us-east-1.signin.aws.amazon.com/v1/token")
        #expect(request.header("Content-Type") == "application/json" && request.header("Authorization") == nil)
        #expect(request.json == .object([("clientId", .string("arn:aws:signin:::devtools/same-device")), ("grantType", .string("refresh_token")),
                                         ("refreshToken", .string("old-refresh"))]))
        let proof = try #require(request.header("DPoP")).split(separator: ".").map(String.init)
        let payload = try JSONValue.parse(Base64.decodeURL(proof[1])!)
        #expect(payload == .object([("htm", .string("POST")), ("htu", .string("https://us-east-1.signin.aws.amazon.com/v1/token")),
                                    ("iat", .number(Self.now)), ("jti", .string("proof-id-1"))]))
        let (x, y) = try DPoPProofTests.key().publicCoordinates()
        #expect(P256SigningKey.verify(signature: Base64.decodeURL(proof[2])!, of: Array("\(proof[0]).\(proof[1])".utf8), x: x, y: y))
        // Written back: new keys, expiry now + expiresIn, new refresh token; mode 0600.
        let written = try LoginSessionToken(parsing: Array(home.read().utf8))
        #expect(written.accessKeyId == "ASIANEW0000000000002" && written.sessionToken == "new-token" && written.refreshToken == "new-refresh")
        #expect(written.expiresAt == Self.now + 900 && written.accountId == "123456789012" && written.dpopKey == DPoPProofTests.pem)
        #expect(outcome.token.accessKeyId == written.accessKeyId)
        let mode = try FileManager.default.attributesOfItem(atPath: home.file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test(arguments: [
        (401, "TOKEN_EXPIRED", "the login session arn:aws:iam::123456789012:user/alice has expired (TOKEN_EXPIRED from the sign-in service); nothing was changed. Run `credctl login --profile dev`"),
        (403, "USER_CREDENTIALS_CHANGED", "the login session arn:aws:iam::123456789012:user/alice ended because the user's credentials changed (USER_CREDENTIALS_CHANGED from the sign-in service); nothing was changed. Run `credctl login --profile dev`"),
    ])
    func refusalsThatNeedANewLogin(status: Int, error: String, message: String) throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now - 10))
        let before = try home.read()
        let transport = ScriptedTransport([.status(status, #"{"error": "\#(error)", "message": "no"}"#, headers: [(name: "x-amzn-ErrorType", value: "AccessDeniedException")])])
        #expect(Self.noCredentials { () throws(AWSError) in _ = try Self.refresher(home, transport).credentials() } == message)
        #expect(try home.read() == before && transport.requests.count == 1)
    }

    @Test func insufficientPermissionsIsTheServiceRefusingWithTheFix() throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now - 10))
        let transport = ScriptedTransport([.status(403, #"{"error": "INSUFFICIENT_PERMISSIONS", "message": "no"}"#, headers: [(name: "x-amzn-ErrorType", value: "AccessDeniedException")])])
        do {
            _ = try Self.refresher(home, transport).credentials()
            Issue.record("no error")
        } catch {
            guard case .service(let e) = error else { Issue.record("\(error)"); return }
            #expect(e.code == "INSUFFICIENT_PERMISSIONS" && e.httpStatus == 403)
            #expect(e.message.contains("signin:CreateOAuth2Token") && e.message.contains("credctl login --profile dev"))
        }
    }

    @Test func aRefreshIsNeverSentTwiceAfterAnAmbiguousFailure() throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now - 10))
        let before = try home.read()
        let transport = ScriptedTransport([.status(500, #"{"error": "server_error", "message": "x"}"#), .status(200, Self.grant)])
        #expect(throws: AWSError.self) { try Self.refresher(home, transport).credentials() }
        #expect(transport.requests.count == 1 && transport.requests[0].safety == .notIdempotent)
        #expect(try home.read() == before)
    }

    @Test(arguments: [
        #"{"accessToken": {"accessKeyId": "A", "secretAccessKey": "s"}, "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "r"}"#,
        #"{"accessToken": {"accessKeyId": "A", "secretAccessKey": "s", "sessionToken": "t"}, "tokenType": "aws_sigv4", "expiresIn": 900}"#,
        #"{"accessToken": {"accessKeyId": "A", "secretAccessKey": "s", "sessionToken": "t"}, "tokenType": "aws_sigv4", "expiresIn": 0, "refreshToken": "r"}"#,
        "<html>",
        #"{"accessToken": {"accessKeyId": "A", "secretAccessKey": "s", "sessionToken": "t\r\nX-Injected: 1"}, "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "r"}"#,
    ])
    func unreadableAnswersLeaveTheFile(body: String) throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now - 10))
        let before = try home.read()
        do {
            _ = try Self.refresher(home, ScriptedTransport([.status(200, body)])).credentials()
            Issue.record("no error")
        } catch {
            guard case .invalidResponse(let operation, _) = error else { Issue.record("\(error)"); return }
            #expect(operation == "signin:CreateOAuth2Token")
        }
        #expect(try home.read() == before)
    }

    @Test func aSessionWithoutAUsableKeyNeedsANewLogin() throws {
        let home = try Home()
        try home.write(Self.document(expiresAt: Self.now - 10).replacingOccurrences(of: String(reflecting: DPoPProofTests.pem),
                                                                                  with: #""-----BEGIN EC PRIVATE KEY-----\n\#(DPoPProofTests.p384)\n-----END EC PRIVATE KEY-----\n""#))
        let transport = ScriptedTransport()
        #expect(Self.noCredentials { () throws(AWSError) in _ = try Self.refresher(home, transport).credentials() }
                == "the cached login session \(home.file) is unusable: its dpopKey is not a PEM P-256 private key. Run `credctl login --profile dev`")
        #expect(transport.requests.isEmpty)
    }

    @Test func noFileSaysWhichAndWhatToRun() throws {
        let home = try Home()
        #expect(Self.noCredentials { () throws(AWSError) in _ = try Self.refresher(home, ScriptedTransport()).credentials() }
                == "no usable login session for \(Self.session): there is no cached login session (\(home.file) does not exist). Run `credctl login --profile dev`")
    }

    // MARK: where the sign-in service is (botocore's endpoint rules, checked with botocore 1.43)

    @Test(arguments: [("us-east-1", "https://us-east-1.signin.aws.amazon.com/"), ("eu-west-3", "https://eu-west-3.signin.aws.amazon.com/"),
                      ("cn-north-1", "https://cn-north-1.signin.amazonaws.cn/"), ("us-gov-west-1", "https://us-gov-west-1.signin.amazonaws-us-gov.com/")])
    func signInHosts(region: String, url: String) throws {
        #expect(try EndpointResolver.resolveSignIn(region: region, configured: nil).url.description == url)
    }

    @Test func aConfiguredEndpointWinsAndARegionIsOtherwiseNeeded() throws {
        let e = try EndpointResolver.resolveSignIn(region: nil, configured: ("http://127.0.0.1:9/", "AWS_ENDPOINT_URL_SIGNIN"))
        #expect(e.url.description == "http://127.0.0.1:9/" && e.source == "AWS_ENDPOINT_URL_SIGNIN")
        #expect(throws: ConfigurationError.self) { try EndpointResolver.resolveSignIn(region: nil, configured: nil) }
    }
}
