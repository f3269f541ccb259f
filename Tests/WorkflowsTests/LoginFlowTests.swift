import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
import Foundation
import Synchronization
import Testing
import TransportTesting
@testable import Workflows

/// `credctl login`'s parts: the authorization URL (checked against botocore's
/// `percent_encode_sequence` as the AWS CLI builds it), the remote flow's code, the ID token, the
/// remote flow end to end on a scripted sign-in service, and the profile checks and write.
struct LoginFlowTests {
    static let session = "arn:aws:iam::123456789012:user/alice"

    @Test func authorizationURLIsTheAWSCLIs() {
        let a = LoginAuthorization(flow: .sameDevice, baseURL: "https://us-east-1.signin.aws.amazon.com",
                                   redirectURI: "http://127.0.0.1:53682/oauth/callback", state: "0b9e1f2a-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
                                   pkce: PKCE(verifier: String(repeating: "a", count: 64)))
        #expect(a.url == "https://us-east-1.signin.aws.amazon.com/v1/authorize?response_type=code&client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fsame-device&state=0b9e1f2a-3c4d-4e5f-8a6b-7c8d9e0f1a2b&code_challenge_method=SHA-256&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback&code_challenge=_-BU_nrgy23GXDr5th1SCfQ5hR20PQulmXM33xVGaOs")
        #expect(LoginAuthorization(flow: .remote, baseURL: "b", redirectURI: "r", state: "s").clientId == "arn:aws:signin:::devtools/cross-device")
    }

    @Test func theRemoteCodeIsBase64OfStateAndCode() throws {
        let parsed = try LoginAuthorization.parseVerificationCode("  c3RhdGU9MGI5ZTFmMmEmY29kZT1hYmMlMkJkZWY=\n")
        #expect(parsed.state == "0b9e1f2a" && parsed.code == "abc+def")
        for bad in ["%%%", Data("state=x".utf8).base64EncodedString(), Data("code=&state=x".utf8).base64EncodedString()] {
            #expect(throws: AWSError.self) { try LoginAuthorization.parseVerificationCode(bad) }
        }
    }

    static func idToken(sub: String) -> String {
        let payload = Data(#"{"sub": "\#(sub)", "iat": 1}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "eyJhbGciOiJFUzI1NiJ9.\(payload).c2ln"
    }

    @Test func theIDTokenNamesTheSessionAndItsAccount() throws {
        let (session, account) = try LoginAuthorization.session(fromIDToken: Self.idToken(sub: Self.session))
        #expect(session == Self.session && account == "123456789012")
        for bad in ["a.b", Self.idToken(sub: "alice"), Self.idToken(sub: "arn:aws:iam::12345:user/a"), Self.idToken(sub: "arn:aws:iam::123456789012:user/a\\n")] {
            #expect(throws: AWSError.self) { try LoginAuthorization.session(fromIDToken: bad) }
        }
    }

    static func signIn(_ transport: ScriptedTransport) -> SignInClient {
        SignInClient(client: AWSClient(core: ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: 3, backoffScale: 0)), keys: nil),
                     endpoint: ResolvedEndpoint(url: RequestURL(scheme: "http", host: "127.0.0.1", port: 9), signingRegion: "us-east-1", source: "test"))
    }

    @Test func theRemoteFlowExchangesThePastedCode() throws {
        let grant = #"{"accessToken": {"accessKeyId": "ASIANEW0000000000001", "secretAccessKey": "s", "sessionToken": "t"}, "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "r", "idToken": "\#(Self.idToken(sub: Self.session))"}"#
        let transport = ScriptedTransport([.status(200, grant)])
        let shown = Mutex<LoginAuthorization?>(nil)
        let prompts = LoginFlow.Prompts(show: { a in shown.withLock { $0 = a } }, readCode: {
            let state = shown.withLock { $0!.state }
            return Data("state=\(state)&code=the-code".utf8).base64EncodedString()
        })
        let result = try LoginFlow(signIn: Self.signIn(transport), now: { 1_000 }).run(.remote, prompts: prompts)
        let a = try #require(shown.withLock { $0 })
        #expect(a.redirectURI == "http://127.0.0.1:9/v1/sessions/confirmation" && a.url.hasPrefix("http://127.0.0.1:9/v1/authorize?"))
        let body = try #require(transport.requests.first?.json)
        #expect(body == .object([("clientId", .string("arn:aws:signin:::devtools/cross-device")), ("grantType", .string("authorization_code")),
                                 ("code", .string("the-code")), ("codeVerifier", .string(a.pkce.verifier)),
                                 ("redirectUri", .string("http://127.0.0.1:9/v1/sessions/confirmation"))]))
        #expect(transport.requests.first?.header("DPoP") != nil)
        #expect(result.session == Self.session && result.token.accountId == "123456789012" && result.token.expiresAt == 1_900)
        #expect(result.token.clientId == "arn:aws:signin:::devtools/cross-device" && result.token.dpopKeyDER != nil)
        // What the cache will hold reads back as a session.
        let reread = try LoginSessionToken(parsing: Array(result.token.json.serialized().utf8))
        #expect(reread.refreshToken == "r" && reread.dpopKey == result.token.dpopKey)
    }

    @Test func aCodeFromAnotherLoginIsRefusedBeforeAnyCall() {
        let transport = ScriptedTransport()
        let prompts = LoginFlow.Prompts(show: { _ in }, readCode: { Data("state=other&code=c".utf8).base64EncodedString() })
        #expect(throws: AWSError.self) { try LoginFlow(signIn: Self.signIn(transport)).run(.remote, prompts: prompts) }
        #expect(transport.requests.isEmpty)
    }

    static func files(_ config: String, credentials: String? = nil) throws -> SharedConfigFiles {
        SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: try INIFile(parsing: config, path: "/c"),
                          credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
    }

    @Test func profilesWithOtherCredentialsAreRefusedInTheAWSCLIsOrder() throws {
        let update = LoginProfileUpdate(profile: "dev", files: try Self.files("[profile dev]\nrole_arn = r\n", credentials: "[dev]\naws_access_key_id = A\n"))
        do {
            try update.checkNoOtherCredentials()
            Issue.record("not refused")
        } catch {
            #expect(error.description.hasPrefix("profile 'dev' already gets access key credentials (aws_access_key_id at /k:2)"))
        }
        try LoginProfileUpdate(profile: "dev", files: try Self.files("[profile dev]\nregion = x\nlogin_session = s\n")).checkNoOtherCredentials()
        try LoginProfileUpdate(profile: "new", files: try Self.files("")).checkNoOtherCredentials()
    }

    @Test(arguments: [
        ("", "default", "[default]\nlogin_session = \(session)\n"),
        ("[default]\nregion = us-east-1\n", "default", "[default]\nregion = us-east-1\nlogin_session = \(session)\n"),
        ("# keep\r\n[profile dev]\r\nregion = x ; note\r\n", "dev", "# keep\r\n[profile dev]\r\nregion = x ; note\r\nlogin_session = \(session)\r\n"),
        ("[profile dev]\nlogin_session = old\n", "dev", "[profile dev]\nlogin_session = \(session)\n"),
        ("[profile other]\nregion = x", "dev", "[profile other]\nregion = x\n\n[profile dev]\nlogin_session = \(session)\n"),
    ])
    func theProfileNamesTheSessionAndNothingElseChanges(before: String, profile: String, after: String) throws {
        let dir = NSTemporaryDirectory() + "login-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config"
        if !before.isEmpty { try before.write(toFile: path, atomically: true, encoding: .utf8) }
        let files = SharedConfigFiles(configPath: path, credentialsPath: dir + "/credentials",
                                      config: before.isEmpty ? nil : try INIFile(parsing: before, path: path), credentials: nil)
        #expect(try LoginProfileUpdate(profile: profile, files: files).write(session: Self.session) == path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == after)
    }
}
