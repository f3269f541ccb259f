import Foundation
import Testing
import AWSClients
import AWSConfig
import AWSCore
import LoopbackSupport
import SigV4
import TransportTesting
@testable import AWSCredentials
@testable import Vault

/// Vault profiles against moto (GetSessionToken and signature checking on): session
/// credentials, their cache, MFA, the opt-out, and every failure's kind.
struct VaultSessionCredentialsTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    final class Setup {
        let folder: String
        let moto: MotoServer

        init() throws {
            folder = NSTemporaryDirectory() + "credctl-vault-session-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            moto = try MotoServer(folder: folder)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func vault(passphrase: String = "correct horse battery") -> Vault {
            let source = PassphraseSource(.variable(passphrase), environment: Environment(), prompt: { _ in nil })
            return Vault(backend: FileVaultBackend(path: folder + "/vault.json", passphrase: source, cost: (1024, 8, 1)))
        }

        func context(mfaCode: String? = nil, time: any RunClock = SystemClock(), endpoint: String? = nil,
                     config: String = "") throws -> CredentialContext {
            let files = SharedConfigFiles(configPath: folder + "/config", credentialsPath: folder + "/credentials",
                                          config: try INIFile(parsing: config, path: folder + "/config"), credentials: nil)
            let environment = Environment(["AWS_ENDPOINT_URL": endpoint ?? moto.url])
            return CredentialContext(files: files, environment: environment, settings: CredentialSettings(), profileName: "p",
                                     core: { ClientCore(transport: CurlTransport()) }, region: "us-east-1",
                                     endpoints: try EndpointSettings.resolve(commandLine: nil, environment: environment),
                                     cache: CredentialCache(directory: folder + "/cache"), mfa: MFACodeSource(code: mfaCode, prompt: nil), time: time)
        }

        /// The credentials, or the error as the core library reports it.
        func resolve(_ vault: Vault, _ profile: String = "p", _ context: CredentialContext) -> Result<Credentials, AWSError> {
            do throws(AWSError) { return .success(try VaultSessionCredentials(vault: vault, profile: profile, context: context).credentials()) }
            catch { return .failure(error) }
        }

        /// Who AWS (moto) says these credentials are.
        func callerArn(_ credentials: Credentials) throws -> String {
            try context().sts(credentials: credentials.signing).getCallerIdentity().arn
        }
    }

    @Test func sessionCredentialsAreKeptSealedWithTheEntryAndNeverTheLongTermKey() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: WallClock.now())
        let first = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(first.accessKeyId.hasPrefix("ASIA") && first.signing.sessionToken != nil)
        #expect(first.accessKeyId != s.moto.adminKeyId && first.signing.secretAccessKey != s.moto.adminSecret)
        #expect(abs((first.expiration ?? 0) - WallClock.now() - 3600) < 60)
        #expect(first.provenance.provider == .vault && first.provenance.profile == "p" && !first.provenance.fromCache)
        #expect(try s.callerArn(first) == "arn:aws:iam::123456789012:user/admin")
        // Served from the vault: no second GetSessionToken.
        let second = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(second.signing == first.signing && second.provenance.fromCache)
        #expect(s.moto.sessionCalls.count == 1)
        #expect(s.moto.sessionCalls[0].contains("\"DurationSeconds\": 3600") && s.moto.sessionCalls[0].contains("\"SerialNumber\": null"))
        // Sealed under the vault key: a wrong passphrase opens nothing, and changes nothing.
        let before = try Data(contentsOf: URL(fileURLWithPath: s.folder + "/vault.json"))
        guard case .failure(.invalidCredentials(let message)) = s.resolve(s.vault(passphrase: "wrong passphrase"), "p", try s.context()) else {
            Issue.record("a wrong passphrase opened the session"); return
        }
        #expect(message == "wrong passphrase for the vault \(s.folder)/vault.json; nothing was changed")
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.folder + "/vault.json")) == before && s.moto.sessionCalls.count == 1)
        // Nothing in clear on disk: no cache file, and no piece of the session in vault.json.
        let cacheFiles = (try? FileManager.default.contentsOfDirectory(atPath: s.folder + "/cache")) ?? []
        #expect(cacheFiles.isEmpty)
        let vaultText = String(decoding: before, as: UTF8.self)
        for secret in [first.accessKeyId, first.signing.secretAccessKey, first.signing.sessionToken ?? "", s.moto.adminSecret] {
            #expect(!vaultText.contains(secret) && !vaultText.contains(String(secret.prefix(12))))
        }
        #expect(vaultText.contains("\"session\": "))
        #expect((try FileManager.default.attributesOfItem(atPath: s.folder + "/vault.json")[.posixPermissions]) as? Int == 0o600)
    }

    @Test func oneRunAsksForThePassphraseOnce() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: WallClock.now())
        let asked = Counter()
        let source = PassphraseSource(.prompt, environment: Environment(), prompt: { _ in asked.increment(); return Array("correct horse battery".utf8) })
        func vault() -> Vault { Vault(backend: FileVaultBackend(path: s.folder + "/vault.json", passphrase: source, cost: (1024, 8, 1))) }
        // A new session: the stored one read (none), the entry opened, the new one sealed: one prompt.
        _ = try VaultSessionCredentials(vault: vault(), profile: "p", context: s.context()).credentials()
        #expect(asked.value == 1)
        // The stored session: one prompt.
        let cached = try VaultSessionCredentials(vault: vault(), profile: "p", context: s.context()).credentials()
        #expect(asked.value == 2 && cached.provenance.fromCache)
    }

    @Test func removingOrReplacingTheEntryRemovesItsSession() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: 1000)
        let first = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(try s.vault().session(profile: "p") != nil)
        // Replaced by the same key, same clear fields: the session does not follow it.
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, replace: true, now: 1000)
        #expect(try s.vault().session(profile: "p") == nil)
        let afterReplace = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(!afterReplace.provenance.fromCache && afterReplace.accessKeyId != first.accessKeyId && s.moto.sessionCalls.count == 2)
        // Removed and added again: nothing of the removed entry's session is left.
        try s.vault().remove(profile: "p")
        #expect(!(try String(contentsOfFile: s.folder + "/vault.json", encoding: .utf8)).contains("\"session\""))
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: 1000)
        let afterRemove = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(!afterRemove.provenance.fromCache && afterRemove.accessKeyId != afterReplace.accessKeyId && s.moto.sessionCalls.count == 3)
    }

    @Test func aSessionMovedToAnotherEntryOrAlteredIsNeverUsed() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: 1000)
        try s.vault().add(profile: "q", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: 1000)
        _ = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        let path = s.folder + "/vault.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var entries = json["entries"] as! [[String: Any]]
        let session = entries[0]["session"] as! String
        // Moved to q's entry: it does not open there.
        entries[1]["session"] = session
        json["entries"] = entries
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        #expect(try s.vault().session(profile: "q") == nil && s.vault().session(profile: "p") != nil)
        // One byte changed, or not base64: p's is gone, and the vault still opens.
        var bytes = Array(Data(base64Encoded: session)!)
        bytes[bytes.count / 2] ^= 1
        for altered in [Data(bytes).base64EncodedString(), "not base64 !"] {
            entries[0]["session"] = altered
            json["entries"] = entries
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
            #expect(try s.vault().session(profile: "p") == nil)
            #expect(try s.vault().entry(profile: "p").secretAccessKey == s.moto.adminSecret)
        }
        let renewed = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(!renewed.provenance.fromCache && s.moto.sessionCalls.count == 2)
    }

    @Test func aClearSessionLeftInTheRoleCacheIsDeletedAndNotKeptWithoutACache() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: 1000)
        let context = try s.context()
        let metadata = try s.vault().metadata(profile: "p")
        let key = VaultSessionCredentials(vault: s.vault(), profile: "p", context: context).cacheKey(metadata)
        let planted = SigningCredentials(accessKeyId: "ASIAOLDCLEARSESSION1", secretAccessKey: "old-secret", sessionToken: "old-token")
        try context.cache!.store(CredentialCache.Entry(credentials: planted, expiration: WallClock.now() + 3000, assumedRoleArn: ""), key: key)
        let fresh = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: context).credentials()
        #expect(fresh.accessKeyId != planted.accessKeyId && context.cache!.load(key) == nil)
        // Without sessions kept (an in-memory holder, or --no-cache): none is stored.
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, replace: true, now: 1000)
        _ = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: context, keepingSessions: false).credentials()
        #expect(try s.vault().session(profile: "p") == nil)
    }

    @Test func nearExpiryTheSessionIsRenewedAndAReplacedKeyNeverReusesIt() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret,
                          session: SessionCredentialSettings(durationSeconds: 1800), now: 1000)
        let first = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        // 20 minutes later 10 remain: inside the refresh window, so a new session.
        let later = try s.context(time: ManualClock(wall: WallClock.now() + 20 * 60))
        let renewed = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: later).credentials()
        #expect(renewed.accessKeyId != first.accessKeyId && !renewed.provenance.fromCache)
        #expect(s.moto.sessionCalls.count == 2 && s.moto.sessionCalls[1].contains("\"DurationSeconds\": 1800"))
        // STS unreachable: a cached session with 10+ minutes left still serves; one with less does not.
        let dead = "http://127.0.0.1:\(Loopback.freePort())"
        let offline = try VaultSessionCredentials(vault: s.vault(), profile: "p",
                                                  context: s.context(time: ManualClock(wall: WallClock.now() + 1800 - 12 * 60), endpoint: dead)).credentials()
        #expect(offline.signing == renewed.signing && offline.provenance.fromCache)
        if case .success = s.resolve(s.vault(), "p", try s.context(time: ManualClock(wall: WallClock.now() + 1800 - 5 * 60), endpoint: dead)) {
            Issue.record("a session with 5 minutes left was served while STS was unreachable")
        }
        // The key replaced (a rotation): its own session, not the old key's.
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret,
                          session: SessionCredentialSettings(durationSeconds: 1800), replace: true, now: 2000)
        let afterReplace = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(!afterReplace.provenance.fromCache && s.moto.sessionCalls.count == 3)
    }

    @Test func mfaSerialSendsTheCode() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret,
                          mfaSerial: "arn:aws:iam::123456789012:mfa/admin", now: WallClock.now())
        guard case .failure(.noCredentials(let message)) = s.resolve(s.vault(), "p", try s.context()) else { Issue.record("no MFA code was accepted"); return }
        #expect(message == "profile 'p' needs an MFA code for arn:aws:iam::123456789012:mfa/admin: pass --mfa-code or set mfa_process in the profile (there is no terminal to ask on)")
        #expect(s.moto.sessionCalls.isEmpty)
        let credentials = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context(mfaCode: "123456")).credentials()
        #expect(try s.callerArn(credentials) == "arn:aws:iam::123456789012:user/admin")
        #expect(s.moto.sessionCalls.count == 1 && s.moto.sessionCalls[0].contains("\"SerialNumber\": \"arn:aws:iam::123456789012:mfa/admin\"")
                && s.moto.sessionCalls[0].contains("\"TokenCode\": \"123456\""))
    }

    @Test func optingOutHandsOutTheLongTermKey() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret,
                          session: SessionCredentialSettings(useSessionToken: false), now: WallClock.now())
        let credentials = try VaultSessionCredentials(vault: s.vault(), profile: "p", context: s.context()).credentials()
        #expect(credentials.signing == SigningCredentials(accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret))
        #expect(credentials.expiration == nil && credentials.provenance.provider == .vault)
        #expect(s.moto.sessionCalls.isEmpty)
    }

    @Test func failuresHaveTheirKinds() throws {
        let s = try Setup()
        try s.vault().add(profile: "p", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: WallClock.now())
        func kind(_ result: Result<Credentials, AWSError>) -> String {
            switch result {
            case .success: return "found"
            case .failure(.invalidCredentials(let m)): return "invalid: \(m)"
            case .failure(.noCredentials(let m)): return "none: \(m)"
            case .failure(.service(let e)): return e.isCredentialError ? "refused credentials" : "refused: \(e)"
            case .failure(let e): return "other: \(e)"
            }
        }
        #expect(kind(s.resolve(s.vault(passphrase: "wrong one"), "p", try s.context()))
                == "invalid: wrong passphrase for the vault \(s.folder)/vault.json; nothing was changed")
        #expect(kind(s.resolve(s.vault(), "q", try s.context()))
                == "none: the vault file \(s.folder)/vault.json holds no keys for profile 'q' (see credctl vault list)")
        // A key AWS does not know: STS's answer, a credentials error (exit 3).
        try s.vault().add(profile: "bad", accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", now: 0)
        #expect(kind(s.resolve(s.vault(), "bad", try s.context())) == "refused credentials")
    }

    @Test func theProviderReadsVaultProfilesAndLeavesOthers() throws {
        let s = try Setup()
        try s.vault().add(profile: "entry", accessKeyId: s.moto.adminKeyId, secretAccessKey: s.moto.adminSecret, now: WallClock.now())
        let config = "[profile p]\ncredential_process = /usr/local/bin/credctl vault credential-process --profile entry\n[profile other]\ncredential_process = /opt/tool\n"
        let context = try s.context(config: config)
        guard case .found(let c) = try VaultCredentialsProvider(context: context, profileName: "p", openVault: { [vault = s.vault()] _ in vault }).resolve() else {
            Issue.record("the vault profile was not found"); return
        }
        #expect(c.accessKeyId.hasPrefix("ASIA") && c.provenance.provider == .vault && c.provenance.profile == "entry")
        guard case .notFound(let reason) = try VaultCredentialsProvider(context: context, profileName: "other", openVault: { [vault = s.vault()] _ in vault }).resolve() else {
            Issue.record("another tool's credential_process was taken for the vault"); return
        }
        #expect(reason == "profile 'other' has no credctl vault credential_process")
        #expect(VaultCredentialsProvider.vaultProfile(of: "p", in: context) == "entry")
    }
}
