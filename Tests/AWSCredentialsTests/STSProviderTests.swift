import Foundation
import Testing
import TransportTesting
import AWSConfig
import AWSClients
import AWSCore
import SigV4
@testable import AWSCredentials

/// The providers that call STS (web identity, assume-role with its cache windows) on a scripted
/// transport with a fixed clock; the cache and token file in a temporary folder.
final class STSProviderTests {
    let folder: String
    static let ns = "https://sts.amazonaws.com/doc/2011-06-15/"
    static let now = 1_800_000_000
    static let role = "arn:aws:iam::123456789012:role/r"

    init() {
        folder = NSTemporaryDirectory() + "credctl-sts-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static func assumed(_ action: String, key: String, expires: Int) -> ScriptedAnswer {
        .response(QueryAnswer.ok(action, """
            <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>ARO1:s</AssumedRoleId></AssumedRoleUser>
            <Credentials><AccessKeyId>\(key)</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
            <Expiration>\(Timestamp.format(expires))</Expiration></Credentials>
            """, namespace: ns))
    }

    func context(_ transport: ScriptedTransport, config: String = "", credentials: String? = nil, now: Int = STSProviderTests.now) throws -> CredentialContext {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: try INIFile(parsing: config, path: "/c"),
                                      credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
        return CredentialContext(files: files, environment: Environment(["HOME": folder]), settings: CredentialSettings(), profileName: "a",
                                 core: { ClientCore(transport: transport, time: ManualClock()) }, region: "us-east-1",
                                 cache: CredentialCache(directory: folder + "/cache"), time: ManualClock(wall: now))
    }

    // MARK: Web identity

    func webIdentity(_ transport: ScriptedTransport, token: String = "eyJ.jwt", now: Int = STSProviderTests.now) throws -> WebIdentityProvider {
        let path = folder + "/token"
        try token.write(toFile: path, atomically: true, encoding: .utf8)
        let settings = WebIdentitySettings(profile: "a", tokenFile: SourcedValue(path, source: "AWS_WEB_IDENTITY_TOKEN_FILE"),
                                           roleArn: SourcedValue(Self.role, source: "AWS_ROLE_ARN"), sessionName: SourcedValue("ci-run", source: "AWS_ROLE_SESSION_NAME"),
                                           usesEnvironment: true)
        return WebIdentityProvider(context: try context(transport, now: now), settings: settings)
    }

    @Test func webIdentityCallsSTSUnsignedWithTheTokenThenServesTheCache() throws {
        let t = ScriptedTransport([Self.assumed("AssumeRoleWithWebIdentity", key: "ASIAWEB", expires: Self.now + 3600)])
        guard case .found(let c) = try webIdentity(t).resolve() else { Issue.record("not found"); return }
        #expect(c.accessKeyId == "ASIAWEB" && !c.provenance.fromCache && c.provenance.provider == .webIdentity)
        let call = t.requests[0]
        #expect(call.form["Action"] == "AssumeRoleWithWebIdentity" && call.form["WebIdentityToken"] == "eyJ.jwt")
        #expect(call.form["RoleArn"] == Self.role && call.form["RoleSessionName"] == "ci-run")
        #expect(call.request.header("Authorization") == nil)
        // The next run, 40 minutes later: still more than 15 minutes left, so the cache serves.
        guard case .found(let again) = try webIdentity(t, now: Self.now + 40 * 60).resolve() else { Issue.record("not found"); return }
        #expect(again.provenance.fromCache && t.requests.count == 1)
        // 50 minutes later, inside the refresh window: STS again.
        t.enqueue(Self.assumed("AssumeRoleWithWebIdentity", key: "ASIAWEB2", expires: Self.now + 7200))
        guard case .found(let fresh) = try webIdentity(t, now: Self.now + 50 * 60).resolve() else { Issue.record("not found"); return }
        #expect(fresh.accessKeyId == "ASIAWEB2" && t.requests.count == 2)
    }

    @Test func webIdentityRefusesAnEmptyTokenAndAMissingRole() throws {
        let t = ScriptedTransport([])
        #expect(throws: AWSError.self) { try webIdentity(t, token: "   ").resolve() }
        let noRole = WebIdentityProvider(context: try context(t), settings: WebIdentitySettings(
            profile: "a", tokenFile: SourcedValue(folder + "/token", source: "AWS_WEB_IDENTITY_TOKEN_FILE")))
        #expect(throws: AWSError.self) { try noRole.resolve() }
        #expect(t.requests.isEmpty)
    }

    // MARK: Assume-role cache windows (botocore's: refresh 15 minutes before, serve until 10)

    static let config = "[profile a]\nrole_arn = \(role)\nsource_profile = base\n"
    static let credentials = "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n"

    func assumeRole(_ t: ScriptedTransport, now: Int) throws -> ProviderOutcome {
        try AssumeRoleProvider(context: try context(t, config: Self.config, credentials: Self.credentials, now: now), profileName: "a").resolve()
    }

    @Test func roleCredentialsAreCachedUntilFifteenMinutesBeforeExpiry() throws {
        let t = ScriptedTransport([Self.assumed("AssumeRole", key: "ASIAROLE", expires: Self.now + 3600)])
        guard case .found(let first) = try assumeRole(t, now: Self.now) else { Issue.record("not found"); return }
        #expect(first.accessKeyId == "ASIAROLE" && !first.provenance.fromCache)
        #expect(t.requests[0].signingKeyId == "AKIABASE")
        guard case .found(let cached) = try assumeRole(t, now: Self.now + 3600 - 15 * 60) else { Issue.record("not found"); return }
        #expect(cached.provenance.fromCache && t.requests.count == 1)
        t.enqueue(Self.assumed("AssumeRole", key: "ASIAROLE2", expires: Self.now + 7200))
        guard case .found(let renewed) = try assumeRole(t, now: Self.now + 3600 - 15 * 60 + 1) else { Issue.record("not found"); return }
        #expect(renewed.accessKeyId == "ASIAROLE2" && t.requests.count == 2)
    }

    @Test func aFailedRefreshServesTheCacheUntilTenMinutesBeforeExpiry() throws {
        let t = ScriptedTransport([Self.assumed("AssumeRole", key: "ASIAROLE", expires: Self.now + 3600)])
        _ = try assumeRole(t, now: Self.now)
        t.enqueue(.response(QueryAnswer.error("AccessDenied", "no", status: 403)))
        guard case .found(let served) = try assumeRole(t, now: Self.now + 3600 - 12 * 60) else { Issue.record("not found"); return }
        #expect(served.accessKeyId == "ASIAROLE" && served.provenance.fromCache && t.requests.count == 2)
        t.enqueue(.response(QueryAnswer.error("AccessDenied", "no", status: 403)))
        #expect(throws: AWSError.self) { try assumeRole(t, now: Self.now + 3600 - 9 * 60) }
        #expect(t.requests.count == 3)
    }
}
