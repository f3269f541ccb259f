import Foundation
import Testing
import AWSCore
@testable import Vault

struct FileVaultBackendTests {
    let now = 1_800_000_000

    func entry(_ profile: String = "prod", id: String = keyId, mfa: String? = nil) -> VaultEntry {
        VaultEntry(profile: profile, accessKeyId: id, secretAccessKey: secret, added: now, mfaSerial: mfa)
    }

    @Test func roundTripAddGetListRemove() throws {
        let folder = TemporaryFolder()
        let vault = Vault(backend: fileVault(folder))
        try vault.add(profile: "prod", accessKeyId: keyId, secretAccessKey: secret, mfaSerial: "arn:aws:iam::123456789012:mfa/me",
                      session: SessionCredentialSettings(useSessionToken: true, durationSeconds: 7200), now: now)
        try vault.add(profile: "ci", accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", now: now + 86_400)
        #expect(try vault.credentials(profile: "prod") == .init(accessKeyId: keyId, secretAccessKey: secret))
        let prod = try vault.entry(profile: "prod")
        #expect(prod.metadata == VaultEntryMetadata(maskedKeyId: "AKIA************MPLE", added: now, mfaSerial: "arn:aws:iam::123456789012:mfa/me",
                                                    session: SessionCredentialSettings(useSessionToken: true, durationSeconds: 7200)))
        let listing = try vault.list()
        #expect(listing.map(\.profile) == ["ci", "prod"])   // by name
        #expect(listing.map(\.metadata.maskedKeyId) == ["AKIA************MPLE", "AKIA************MPLE"])
        #expect(listing[0].ageDays(now: now + 3 * 86_400) == 2 && listing[0].backend == "file \(folder.file("vault.json"))")
        try vault.remove(profile: "prod")
        #expect(try vault.list().map(\.profile) == ["ci"])
        #expect(throws: VaultError.notFound(profile: "prod", vault: folder.file("vault.json"))) { try vault.entry(profile: "prod") }
        // Nothing in the file is the secret or the whole key id.
        let text = String(decoding: folder.read("vault.json")!, as: UTF8.self)
        #expect(!text.contains("je7MtGbClwBF") && !text.contains("AKIAI44QH8DHBEXAMPLE") && !text.contains("wJalrXUtnFEMI"))
    }

    @Test func parametersAreRecordedAndTheFileIsPrivate() throws {
        let folder = TemporaryFolder()
        let nested = TemporaryFolder()
        let path = nested.path + "/deeper/credctl/vault.json"
        let backend = FileVaultBackend(path: path, passphrase: passphrase("correct horse battery"))
        try backend.store([entry()], replace: false)
        let json = try JSONValue.parse(Array(FileManager.default.contents(atPath: path)!))
        let kdf = json["kdf"]!
        #expect(kdf["name"]?.stringValue == "scrypt" && kdf["n"]?.intValue == 65536 && kdf["r"]?.intValue == 7 && kdf["p"]?.intValue == 2)
        #expect(Base64.decode(kdf["salt"]!.stringValue!)!.count == 16)
        #expect(json["cipher"]?.stringValue == "AES-256-GCM" && json["version"]?.intValue == 1)
        // 56 MiB of scrypt memory, under the 64 MiB budget.
        #expect(ScryptParameters(n: 65536, r: 7, p: 2, salt: []).memoryBytes <= 64 << 20)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: nested.path + "/deeper/credctl")[.posixPermissions]) as? Int == 0o700)
        // Two vaults never share a salt.
        let other = fileVault(folder)
        try other.store([entry()], replace: false)
        let otherSalt = try JSONValue.parse(folder.read("vault.json")!)["kdf"]?["salt"]
        #expect(otherSalt != kdf["salt"])
    }

    @Test func wrongPassphraseIsDetectedAndChangesNothing() throws {
        let folder = TemporaryFolder()
        try fileVault(folder).store([entry()], replace: false)
        let before = folder.read("vault.json")
        let wrong = fileVault(folder, passphrase: "incorrect horse")
        let expected = VaultError.wrongPassphrase(vault: folder.file("vault.json"))
        #expect(throws: expected) { try wrong.entry("prod") }
        #expect(throws: expected) { try wrong.store([entry("ci")], replace: false) }
        #expect(throws: expected) { try wrong.store([entry("prod")], replace: true) }
        #expect(throws: expected) { try wrong.remove(["prod"]) }
        #expect(folder.read("vault.json") == before)
        #expect(expected.awsError.description == "wrong passphrase for the vault \(folder.file("vault.json")); nothing was changed")
        if case .invalidCredentials = expected.awsError {} else { Issue.record("a wrong passphrase must be a credentials error (exit 3)") }
        // Listing needs no passphrase.
        #expect(try wrong.list().map(\.profile) == ["prod"])
    }

    @Test func existingProfilesAreReplacedOnlyWhenAsked() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        try vault.store([entry()], replace: false)
        let before = folder.read("vault.json")
        #expect(throws: VaultError.alreadyExists(profile: "prod", vault: folder.file("vault.json"))) {
            try vault.store([entry("new"), entry("prod")], replace: false)
        }
        #expect(folder.read("vault.json") == before)
        try vault.store([entry("prod", id: "AKIAI44QH8DHBEXAMPLE")], replace: true)
        #expect(try vault.entry("prod").accessKeyId == "AKIAI44QH8DHBEXAMPLE")
    }

    @Test func badInputIsRefusedBeforeAnythingIsAsked() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        #expect(throws: VaultError.invalidInput("ASIA************MPLE is a temporary key (ASIA…); the vault holds long-term keys (AKIA…)")) {
            try vault.store([entry(id: "ASIAIOSFODNN7EXAMPLE")], replace: false)
        }
        #expect(throws: VaultError.invalidInput("the secret access key must be 16 to 256 printable characters without spaces")) {
            try vault.store([VaultEntry(profile: "p", accessKeyId: keyId, secretAccessKey: "short", added: now)], replace: false)
        }
        #expect(throws: VaultError.invalidInput("the profile name 'a]b' holds a control character or a bracket")) {
            try vault.store([entry("a]b")], replace: false)
        }
        #expect(throws: VaultError.invalidInput("session duration must be between 900 and 129600 seconds (15 minutes to 36 hours), not 60")) {
            try vault.store([VaultEntry(profile: "p", accessKeyId: keyId, secretAccessKey: secret, added: now,
                                        session: SessionCredentialSettings(durationSeconds: 60))], replace: false)
        }
        #expect(folder.names().isEmpty)
    }

    @Test func damagedFilesAreTypedErrors() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        try vault.store([entry()], replace: false)
        let good = String(decoding: folder.read("vault.json")!, as: UTF8.self)
        let path = folder.file("vault.json")
        let cases: [(String, String)] = [
            ("{\"format\": \"credctl-vault\"", "not JSON (unterminated object at byte 26)"),
            ("[]", "no \"format\": \"credctl-vault\""),
            (good.replacing("\"version\": 1", with: "\"version\": 2"), "version 2 is not one this credctl reads (1)"),
            (good.replacing("\"n\": 1024", with: "\"n\": 1000"), "scrypt N=1000 is not a power of two"),
            (good.replacing("\"n\": 1024", with: "\"n\": 1073741824"), "scrypt N=1073741824 is larger than 2^22"),
            (good.replacing("\"r\": 8", with: "\"r\": 64").replacing("\"n\": 1024", with: "\"n\": 65536"), "scrypt N=65536, r=64 needs more than 256 MiB"),
            (good.replacing("\"session_credentials\": \"session-token\"", with: "\"session_credentials\": 1"), "entry 1 is incomplete"),
        ]
        for (text, reason) in cases {
            folder.write("vault.json", text)
            #expect(throws: VaultError.corruptVault(path: path, reason: reason)) { try vault.entry("prod") }
            #expect(throws: VaultError.corruptVault(path: path, reason: reason)) { try vault.store([entry("x")], replace: false) }
            #expect(folder.read("vault.json") == Array(text.utf8))
        }
    }

    @Test func tamperedEntriesFailToOpen() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        try vault.store([entry("prod"), entry("dev", id: "AKIAI44QH8DHBEXAMPLE")], replace: false)
        let good = try JSONValue.parse(folder.read("vault.json")!)
        let path = folder.file("vault.json")
        func rewrite(_ change: (inout [JSONValue]) -> Void) {
            guard case .object(var members) = good, let i = members.firstIndex(where: { $0.0 == "entries" }),
                  case .array(var entries) = members[i].1 else { return }
            change(&entries)
            members[i].1 = .array(entries)
            folder.write("vault.json", JSONValue.object(members).serialized())
        }
        func set(_ entry: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
            guard case .object(var m) = entry, let i = m.firstIndex(where: { $0.0 == key }) else { return entry }
            m[i].1 = value
            return .object(m)
        }
        // One bit of the ciphertext.
        rewrite { entries in
            var sealed = Base64.decode(entries[0]["sealed"]!.stringValue!)!
            sealed[14] ^= 1
            entries[0] = set(entries[0], "sealed", .string(Base64.encode(sealed)))
        }
        #expect(throws: VaultError.corruptEntry(profile: "prod", vault: path)) { try vault.entry("prod") }
        #expect(try vault.entry("dev").accessKeyId == "AKIAI44QH8DHBEXAMPLE")
        // The sealed bytes of one profile moved to another.
        rewrite { entries in entries[1] = set(entries[1], "sealed", entries[0]["sealed"]!) }
        #expect(throws: VaultError.corruptEntry(profile: "dev", vault: path)) { try vault.entry("dev") }
        // Clear fields edited: the added date, the session setting.
        rewrite { entries in entries[0] = set(entries[0], "added", .string("2020-01-01T00:00:00Z")) }
        #expect(throws: VaultError.corruptEntry(profile: "prod", vault: path)) { try vault.entry("prod") }
        rewrite { entries in entries[0] = set(entries[0], "session_credentials", .string("long-term-key")) }
        #expect(throws: VaultError.corruptEntry(profile: "prod", vault: path)) { try vault.entry("prod") }
        // A profile renamed.
        rewrite { entries in entries[0] = set(entries[0], "profile", .string("renamed")) }
        #expect(throws: VaultError.corruptEntry(profile: "renamed", vault: path)) { try vault.entry("renamed") }
        // The key check altered: the right passphrase no longer verifies, so nothing opens.
        guard case .object(var members) = good, let i = members.firstIndex(where: { $0.0 == "key_check" }) else { return }
        var check = Base64.decode(members[i].1.stringValue!)!
        check[check.count - 1] ^= 1
        members[i].1 = .string(Base64.encode(check))
        folder.write("vault.json", JSONValue.object(members).serialized())
        #expect(throws: VaultError.wrongPassphrase(vault: path)) { try vault.entry("prod") }
    }

    @Test func writesAreAtomicAndLeaveNoTemporaryFiles() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        try vault.store([entry()], replace: false)
        try vault.store([entry("b")], replace: false)
        try vault.remove(["b"])
        #expect(folder.names() == ["vault.json", "vault.json.lock"])
        #expect(folder.mode("vault.json.lock") == 0o600)
        // A folder that cannot be written: the old file stays whole and readable.
        let before = folder.read("vault.json")
        chmod(folder.path, 0o500)
        defer { chmod(folder.path, 0o700) }
        if getuid() != 0 {
            #expect(throws: VaultError.self) { try vault.store([entry("c")], replace: false) }
            #expect(folder.read("vault.json") == before)
        }
        // Root ignores folder permissions: make the rename itself fail instead (the target is a folder).
        chmod(folder.path, 0o700)
        let blocked = FileVaultBackend(path: folder.file("sub"), passphrase: passphrase("correct horse battery"), cost: cheapCost)
        try FileManager.default.createDirectory(atPath: folder.file("sub"), withIntermediateDirectories: false)
        #expect(throws: VaultError.io("cannot read \(folder.file("sub")): it is a directory")) { try blocked.store([entry()], replace: false) }
        #expect(folder.read("vault.json") == before)
        #expect(folder.names() == ["sub", "sub.lock", "vault.json", "vault.json.lock"])
    }

    @Test func concurrentWritersDoNotLoseEachOther() async throws {
        let folder = TemporaryFolder()
        try fileVault(folder).store([entry("first")], replace: false)
        let path = folder.file("vault.json")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<4 {
                group.addTask {
                    let backend = FileVaultBackend(path: path, passphrase: passphrase("correct horse battery"), cost: cheapCost)
                    try backend.store([VaultEntry(profile: "p\(i)", accessKeyId: keyId, secretAccessKey: secret, added: 1)], replace: false)
                }
            }
            try await group.waitForAll()
        }
        #expect(Set(try fileVault(folder).list().map(\.profile)) == ["first", "p0", "p1", "p2", "p3"])
    }
}
