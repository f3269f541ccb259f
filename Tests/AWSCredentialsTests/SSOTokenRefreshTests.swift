import Foundation
import Testing
import TransportTesting
import AWSClients
import AWSConfig
import AWSCore
@testable import AWSCredentials

/// `SSOTokenProvider` on a scripted SSO-OIDC with the run's clock fixed (`ManualClock`): when a
/// token is refreshed (botocore's 15-minute window, `sso-session` profiles only), what is sent,
/// what is written back to the cache the AWS CLI shares, and what happens when the refresh is
/// refused, impossible or fails.
final class SSOTokenRefreshTests {
    static let now = 1_800_000_000
    let folder: String
    let cache: SSOTokenCache
    let session = SSOSession(name: "corp", startURL: "https://d-1.awsapps.com/start", region: "eu-west-1", location: "/c:3")
    let legacy = SSOSession(name: nil, startURL: "https://d-1.awsapps.com/start", region: "eu-west-1", location: "/c:3")
    let registrationLater = SSOTimestamp.format(now + 30 * 86400)

    init() {
        folder = NSTemporaryDirectory() + "credctl-sso-refresh-" + UUID().uuidString
        cache = SSOTokenCache(directory: folder + "/sso/cache")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func provider(_ transport: ScriptedTransport, session: SSOSession? = nil, clock: ManualClock = ManualClock(wall: now)) -> SSOTokenProvider {
        let services = SSOServices(core: ClientCore(transport: transport, time: clock), endpoints: EndpointSettings())
        return SSOTokenProvider(session: session ?? self.session, cache: cache, services: services, loginCommand: "credctl sso login --profile dev")
    }

    /// A cached token of the session, `left` seconds from expiry, with what a refresh needs.
    func cached(left: Int, refreshToken: String? = "REFRESH-1", registrationExpiresAt: String? = nil, for session: SSOSession? = nil) throws {
        try cache.store(SSOToken(startURL: "https://d-1.awsapps.com/start", region: "eu-west-1", accessToken: "ACCESS-OLD",
                                 expiresAt: Self.now + left, clientId: "client-1", clientSecret: "CLIENT-SECRET",
                                 registrationExpiresAt: registrationExpiresAt ?? registrationLater, refreshToken: refreshToken),
                        for: session ?? self.session)
    }

    func cacheFile(_ session: SSOSession? = nil) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: cache.path(for: session ?? self.session)))))
    }

    static func granted(_ access: String, expiresIn: Int = 28800, refreshToken: String? = "REFRESH-2") -> ScriptedAnswer {
        var members: [(String, JSONValue)] = [("accessToken", .string(access)), ("expiresIn", .number(String(expiresIn))), ("tokenType", .string("Bearer"))]
        if let refreshToken { members.append(("refreshToken", .string(refreshToken))) }
        return .response(JSONAnswer.ok(.object(members), contentType: "application/json"))
    }

    static let invalidGrant = ScriptedAnswer.status(400, #"{"error":"invalid_grant","error_description":"refresh token expired"}"#,
                                                    headers: [("x-amzn-ErrorType", "InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/")])

    func failure(_ body: () throws(AWSError) -> SSOAccessToken) -> AWSError? {
        do { _ = try body(); return nil } catch { return error }
    }

    @Test func aTokenOutsideTheWindowIsUsedAsItIs() throws {
        try cached(left: 15 * 60 + 1)
        let transport = ScriptedTransport()
        let token = try provider(transport).token()
        #expect(token.token == "ACCESS-OLD" && !token.refreshed && token.expiresAt == Self.now + 15 * 60 + 1)
        #expect(transport.requests.isEmpty)
    }

    /// Inside the window: CreateToken with the refresh-token grant, and the new token written back
    /// with botocore's fields (the new refresh token, the registration's expiry as it was).
    @Test func aTokenInsideTheWindowIsRefreshedAndWrittenBack() throws {
        try cached(left: 15 * 60 - 1)
        let transport = ScriptedTransport([Self.granted("ACCESS-NEW", expiresIn: 28800)])
        let token = try provider(transport).token()
        #expect(token.token == "ACCESS-NEW" && token.refreshed && token.expiresAt == Self.now + 28800)
        #expect(token.cachePath == cache.path(for: session))
        #expect(transport.requests.count == 1)
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "POST" && sent.url.description == "https://oidc.eu-west-1.amazonaws.com/token")
        #expect(sent.header("Authorization") == nil)
        let body = try JSONValue.parse(sent.body)
        #expect(body["grantType"]?.stringValue == "refresh_token" && body["refreshToken"]?.stringValue == "REFRESH-1")
        #expect(body["clientId"]?.stringValue == "client-1" && body["clientSecret"]?.stringValue == "CLIENT-SECRET")
        let written = try cacheFile()
        guard case .object(let members) = written else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"])
        #expect(written["startUrl"]?.stringValue == "https://d-1.awsapps.com/start" && written["region"]?.stringValue == "eu-west-1")
        #expect(written["accessToken"]?.stringValue == "ACCESS-NEW" && written["refreshToken"]?.stringValue == "REFRESH-2")
        #expect(written["expiresAt"]?.stringValue == Timestamp.format(Self.now + 28800))
        #expect(written["registrationExpiresAt"]?.stringValue == registrationLater)
        let mode = try FileManager.default.attributesOfItem(atPath: cache.path(for: session))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// An answer without a refresh token leaves none in the cache (botocore writes only what it got).
    @Test func anAnswerWithoutARefreshTokenDropsIt() throws {
        try cached(left: 60)
        _ = try provider(ScriptedTransport([Self.granted("ACCESS-NEW", refreshToken: nil)])).token()
        #expect(try cacheFile()["refreshToken"] == nil)
    }

    /// The window is on the run's clock: the same token is fresh at one time and due at a later one.
    @Test func theWindowIsReadOnTheRunsClock() throws {
        try cached(left: 20 * 60)
        let clock = ManualClock(wall: Self.now)
        let transport = ScriptedTransport([Self.granted("ACCESS-NEW")])
        #expect(try !provider(transport, clock: clock).token().refreshed)
        clock.advance(5 * 60 + 1)
        let later = try provider(transport, clock: clock).token()
        #expect(later.refreshed && later.expiresAt == Self.now + 5 * 60 + 1 + 28800)
        #expect(transport.requests.count == 1)
    }

    /// A refused refresh leaves the old token in use while it is valid, and the cache as it was.
    @Test func aRefusedRefreshFallsBackToTheValidToken() throws {
        try cached(left: 10 * 60)
        let before = try Data(contentsOf: URL(fileURLWithPath: cache.path(for: session)))
        let transport = ScriptedTransport([Self.invalidGrant])
        let token = try provider(transport).token()
        #expect(token.token == "ACCESS-OLD" && !token.refreshed)
        #expect(transport.requests.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache.path(for: session))) == before)
    }

    /// Refused, and another process (the AWS CLI) refreshed the token meanwhile: that one is used.
    @Test func aRefusedRefreshTakesATokenRefreshedMeanwhile() throws {
        try cached(left: 60)
        let cache = self.cache, session = self.session
        let transport = ScriptedTransport(handler: { _ in
            try? cache.store(SSOToken(startURL: nil, region: nil, accessToken: "ACCESS-BY-CLI", expiresAt: Self.now + 3600), for: session)
            return Self.invalidGrant
        })
        let token = try provider(transport).token()
        #expect(token.token == "ACCESS-BY-CLI" && token.expiresAt == Self.now + 3600 && !token.refreshed)
    }

    @Test func anExpiredTokenWhoseRefreshIsRefusedNeedsALogin() throws {
        try cached(left: -1)
        let error = failure { () throws(AWSError) in try provider(ScriptedTransport([Self.invalidGrant])).token() }
        #expect(error?.exitStatus == .credentials)
        #expect(error?.description == "the SSO token for sso-session corp expired at \(Timestamp.format(Self.now - 1)) and could not be refreshed "
            + "(CreateToken: InvalidGrantException). Run `credctl sso login --profile dev`")
    }

    /// An expired registration (botocore's `registrationExpiresAt`) cannot refresh: nothing is sent.
    @Test func anExpiredTokenAndAnExpiredRegistrationSendNothing() throws {
        try cached(left: -60, registrationExpiresAt: SSOTimestamp.format(Self.now - 1))
        let transport = ScriptedTransport()
        let error = failure { () throws(AWSError) in try provider(transport).token() }
        #expect(error?.description == "the SSO token for sso-session corp expired at \(Timestamp.format(Self.now - 60)) and could not be refreshed "
            + "(the client registration expired at \(Timestamp.format(Self.now - 1))). Run `credctl sso login --profile dev`")
        #expect(transport.requests.isEmpty)
    }

    @Test func anExpiredTokenWithoutARefreshTokenSendsNothing() throws {
        try cached(left: -60, refreshToken: nil)
        let transport = ScriptedTransport()
        let error = failure { () throws(AWSError) in try provider(transport).token() }
        #expect(error?.description.contains("could not be refreshed (the cached token has no refresh token and client registration)") == true)
        #expect(transport.requests.isEmpty)
    }

    /// A legacy `sso_start_url` profile's token is never refreshed (botocore's `SSOTokenLoader`).
    @Test func aLegacyTokenIsNeverRefreshed() throws {
        try cached(left: 60, for: legacy)
        let transport = ScriptedTransport()
        #expect(try provider(transport, session: legacy).token().token == "ACCESS-OLD")
        try cached(left: -60, for: legacy)
        let error = failure { () throws(AWSError) in try provider(transport, session: legacy).token() }
        #expect(error?.description == "the SSO token for start URL https://d-1.awsapps.com/start expired at \(Timestamp.format(Self.now - 60)) "
            + "(a legacy sso_start_url profile's token is never refreshed). Run `credctl sso login --profile dev`")
        #expect(transport.requests.isEmpty)
    }

    /// A network failure is an error, as in botocore (only the service's refusals are swallowed);
    /// the client's retries wait on the run's clock, not for real.
    @Test func aNetworkFailureIsAnError() throws {
        try cached(left: 10 * 60)
        let clock = ManualClock(wall: Self.now)
        let transport = ScriptedTransport(handler: { _ in .refused })
        let error = failure { () throws(AWSError) in try provider(transport, clock: clock).token() }
        guard case .transport(let t)? = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
        #expect(t.kind == .connectionFailed)
        #expect(transport.requests.count >= 1)
        #expect(clock.sleeps.count == transport.requests.count - 1)
    }

    @Test func noCachedTokenNeedsALogin() {
        let error = failure { () throws(AWSError) in try provider(ScriptedTransport()).token() }
        #expect(error?.exitStatus == .credentials)
        #expect(error?.description.hasPrefix("no usable SSO token for sso-session corp: ") == true)
        #expect(error?.description.hasSuffix("Run `credctl sso login --profile dev`") == true)
    }
}
