import Foundation
import Testing
import TransportTesting
import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
@testable import Workflows

/// `credctl sso login --use-device-code` polling (RFC 8628, as the AWS CLI v2's `SSOTokenFetcher`
/// polls) on a scripted SSO-OIDC, its waits on a `ManualClock`: the interval the service sets
/// (5 s when it sets none, at once for 0), `slow_down` adding 5 s, the device code's own expiry,
/// `expired_token` and `access_denied`. The answers are the wire's (IAM Identity Center's error
/// form: status 400, `x-amzn-ErrorType`, the OAuth `error`), so nothing real is waited for.
final class SSODevicePollingTests {
    static let now = 1_800_000_000
    let folder: String
    let cache: SSOTokenCache
    let session = SSOSession(name: "corp", startURL: "https://d-1.awsapps.com/start", region: "eu-west-1", location: "/c:3")

    init() {
        folder = NSTemporaryDirectory() + "credctl-sso-poll-" + UUID().uuidString
        cache = SSOTokenCache(directory: folder + "/sso/cache")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static func json(_ text: String) -> ScriptedAnswer {
        .response(JSONAnswer.ok(try! JSONValue.parse(text), contentType: "application/json"))
    }

    static let registered = json(#"{"clientId":"cid","clientSecret":"csecret","clientIdIssuedAt":1800000000,"clientSecretExpiresAt":1807776000}"#)
    static let granted = json(#"{"accessToken":"ACCESS","tokenType":"Bearer","expiresIn":28800,"refreshToken":"REFRESH"}"#)

    static func authorized(expiresIn: Int = 600, interval: Int?) -> ScriptedAnswer {
        json("""
            {"deviceCode":"dev-code","userCode":"ABCD-EFGH","verificationUri":"https://device.sso.eu-west-1.amazonaws.com/",
             "verificationUriComplete":"https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH","expiresIn":\(expiresIn)\
            \(interval.map { ",\"interval\":\($0)" } ?? "")}
            """)
    }

    static func oauthError(_ code: String, _ error: String) -> ScriptedAnswer {
        .status(400, #"{"error":"\#(error)","error_description":"scripted"}"#, headers: [("x-amzn-ErrorType", code)])
    }

    static let pending = oauthError("AuthorizationPendingException", "authorization_pending")
    static let slowDown = oauthError("SlowDownException", "slow_down")

    /// Runs the device flow; the prompts shown, the waits made, or the error.
    func login(_ answers: [ScriptedAnswer], clock: ManualClock = ManualClock(wall: now))
        -> (report: SSOLogin.Report?, error: AWSError?, prompts: Int, sleeps: [Double], transport: ScriptedTransport) {
        cache.removeRegistration(session)  // each login registers anew, as the answers script
        let transport = ScriptedTransport(answers)
        let services = SSOServices(core: ClientCore(transport: transport, time: clock), endpoints: EndpointSettings())
        let login = SSOLogin(session: session, flow: .deviceCode, cache: cache, services: services, loginCommand: "credctl sso login --profile dev")
        var prompts = 0
        do {
            let report = try login.run { _ in prompts += 1 }
            return (report, nil, prompts, clock.sleeps, transport)
        } catch {
            return (nil, error, prompts, clock.sleeps, transport)
        }
    }

    func createTokens(_ transport: ScriptedTransport) -> Int { transport.requests.filter { $0.url.path == "/token" }.count }

    @Test func theIntervalTheServiceSetsIsWaitedBeforeEachPoll() throws {
        let r = login([Self.registered, Self.authorized(interval: 7), Self.pending, Self.pending, Self.granted])
        let report = try #require(r.report)
        #expect(report.polls == 3 && r.prompts == 1)
        #expect(r.sleeps == [7, 7])
        #expect(createTokens(r.transport) == 3)
        #expect(report.expiresAt == Self.now + 14 + 28800)
    }

    @Test func withoutAnIntervalThePollIsEveryFiveSeconds() throws {
        let r = login([Self.registered, Self.authorized(interval: nil), Self.pending, Self.granted])
        #expect(r.report?.polls == 2 && r.sleeps == [5])
    }

    /// An interval of 0 is polled again at once, as the AWS CLI's loop (`time.sleep(0)`) does.
    @Test func anIntervalOfZeroPollsAtOnce() throws {
        let r = login([Self.registered, Self.authorized(interval: 0), Self.pending, Self.pending, Self.granted])
        #expect(r.report?.polls == 3 && r.sleeps == [0, 0])
    }

    @Test func slowDownAddsFiveSecondsForEveryLaterPoll() throws {
        let r = login([Self.registered, Self.authorized(interval: 1), Self.pending, Self.slowDown, Self.pending, Self.slowDown, Self.granted])
        #expect(r.report?.polls == 5)
        #expect(r.sleeps == [1, 6, 6, 11])
    }

    @Test func aPreauthorizedClientIsNeitherPromptedNorKeptWaiting() throws {
        let r = login([Self.registered, Self.authorized(interval: 5), Self.granted])
        #expect(r.report?.polls == 1 && r.prompts == 0 && r.sleeps.isEmpty)
    }

    static let expired = "the device authorization for sso-session corp expired before it was approved; nothing was written. Run `credctl sso login --profile dev` again"

    /// The device code's own expiry ends the polling: no poll starts after it.
    @Test func theDeviceCodesExpiryStopsThePolling() {
        let r = login([Self.registered, Self.authorized(expiresIn: 10, interval: 3)] + Array(repeating: Self.pending, count: 10))
        #expect(r.error?.description == Self.expired && r.error?.exitStatus == .credentials)
        #expect(r.sleeps == [3, 3, 3] && createTokens(r.transport) == 4)
        #expect(!FileManager.default.fileExists(atPath: cache.path(for: session)))
    }

    @Test func expiredTokenAndAccessDeniedStop() {
        let expired = login([Self.registered, Self.authorized(interval: 2), Self.pending, Self.oauthError("ExpiredTokenException", "expired_token")])
        #expect(expired.error?.description == Self.expired && expired.sleeps == [2])
        let denied = login([Self.registered, Self.authorized(interval: 2), Self.oauthError("AccessDeniedException", "access_denied")])
        #expect(denied.error?.description
                == "the sign-in for sso-session corp was denied in the browser (AccessDeniedException); nothing was written. Run `credctl sso login --profile dev` to try again")
        #expect(denied.error?.exitStatus == .credentials && denied.sleeps.isEmpty && denied.prompts == 0)
        #expect(!FileManager.default.fileExists(atPath: cache.path(for: session)))
    }

    /// An interval out of 0–300 s is an answer credctl cannot use (and never a wait of hours).
    @Test func anIntervalOutOfRangeIsRefused() {
        for bad in [-1, 301, 86400] {
            let r = login([Self.registered, Self.authorized(interval: bad)])
            #expect(r.error?.description == "sso-oauth:StartDeviceAuthorization: unreadable response: interval is not a number of seconds from 0 to 300")
            #expect(r.sleeps.isEmpty && createTokens(r.transport) == 0)
        }
    }
}
