import Foundation
import Testing
import AWSCore
@testable import Vault

/// `credctl cached` results sealed in the vault file: kept only in an existing vault, opened only
/// under its key with their id and expiry intact, pruned when expired or past the limit, and kept
/// through every other write of the file.
struct FileVaultCachedResultsTests {
    let now = 1_800_000_000
    let id = String(repeating: "ab", count: 32)
    let result = Array(#"{"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":"cached-secret-value","Expiration":"…"}"#.utf8)

    func vaultWithEntry(_ folder: TemporaryFolder) throws -> FileVaultBackend {
        let vault = fileVault(folder)
        try vault.store([VaultEntry(profile: "prod", accessKeyId: keyId, secretAccessKey: secret, added: now)], replace: false)
        return vault
    }

    @Test func storedResultsOpenUntilTheyExpireAndAreNeverInClear() throws {
        let folder = TemporaryFolder()
        let vault = try vaultWithEntry(folder)
        try vault.storeCachedResult(id, result, expires: now + 3600, now: now)
        #expect(try vault.cachedResult(id, now: now) == result)
        #expect(try vault.cachedResult(id, now: now + 3599) == result)
        #expect(try vault.cachedResult(id, now: now + 3600) == nil)                 // expired
        #expect(try vault.cachedResult(String(repeating: "cd", count: 32), now: now) == nil)   // another line
        let text = String(decoding: folder.read("vault.json")!, as: UTF8.self)
        #expect(!text.contains("cached-secret-value") && !text.contains("ASIAX") && text.contains(id))
        // Another backend value (another process) opens it with the passphrase, and not without.
        #expect(try fileVault(folder).cachedResult(id, now: now) == result)
        #expect(throws: VaultError.wrongPassphrase(vault: folder.file("vault.json"))) {
            try fileVault(folder, passphrase: "another passphrase").cachedResult(id, now: now)
        }
        // nil removes it.
        try vault.storeCachedResult(id, nil, expires: 0, now: now)
        #expect(try vault.cachedResult(id, now: now) == nil)
        #expect(try JSONValue.parse(folder.read("vault.json")!)["cached_results"] == nil)
    }

    @Test func noVaultIsMadeForAResult() throws {
        let folder = TemporaryFolder()
        let vault = fileVault(folder)
        #expect(try vault.exists() == false)
        try vault.storeCachedResult(id, result, expires: now + 3600, now: now)
        #expect(try vault.cachedResult(id, now: now) == nil)
        #expect(folder.names() == [])
    }

    @Test func editedMovedOrDamagedResultsDoNotOpen() throws {
        let folder = TemporaryFolder()
        let vault = try vaultWithEntry(folder)
        try vault.storeCachedResult(id, result, expires: now + 3600, now: now)
        let good = try JSONValue.parse(folder.read("vault.json")!)
        func rewrite(_ change: @escaping (inout [(String, JSONValue)]) -> Void) {
            guard case .object(var members) = good, let i = members.firstIndex(where: { $0.0 == "cached_results" }),
                  case .array(let results) = members[i].1, case .object(var stored) = results[0] else { return }
            change(&stored)
            members[i].1 = .array([.object(stored)])
            folder.write("vault.json", JSONValue.object(members).serialized())
        }
        func set(_ key: String, _ value: JSONValue) -> (inout [(String, JSONValue)]) -> Void {
            { members in if let i = members.firstIndex(where: { $0.0 == key }) { members[i].1 = value } }
        }
        var sealed = Base64.decode(good["cached_results"]!.arrayValue![0]["sealed"]!.stringValue!)!
        sealed[sealed.count / 2] ^= 1
        let later = now + 7200
        // One bit flipped; the clear expiry moved later; the result moved to another line's id.
        for (change, lookup) in [(set("sealed", .string(Base64.encode(sealed))), id),
                                 (set("expires", .string(Timestamp.format(later))), id),
                                 (set("id", .string(String(repeating: "0", count: 64))), String(repeating: "0", count: 64))] {
            rewrite(change)
            #expect(try fileVault(folder).cachedResult(lookup, now: now) == nil)
            #expect(try fileVault(folder).entry("prod").secretAccessKey == secret)   // the vault itself is fine
        }
        // Unreadable members: the result is lost, the vault is not damaged.
        rewrite(set("sealed", .string("not base64 !")))
        #expect(try fileVault(folder).cachedResult(id, now: now) == nil)
        #expect(try fileVault(folder).list().map(\.profile) == ["prod"])
        // A new result replaces what was there.
        try fileVault(folder).storeCachedResult(id, result, expires: now + 3600, now: now)
        #expect(try fileVault(folder).cachedResult(id, now: now) == result)
    }

    @Test func everyStorePrunesExpiredResultsAndKeepsTheLimit() throws {
        let folder = TemporaryFolder()
        let vault = try vaultWithEntry(folder)
        func name(_ n: Int) -> String { String(format: "%064x", n) }
        try vault.storeCachedResult(name(1), result, expires: now + 100, now: now)
        try vault.storeCachedResult(name(2), result, expires: now + 5000, now: now)
        // Later, when the first has expired: it goes at the next store of any line.
        try vault.storeCachedResult(name(3), result, expires: now + 5000, now: now + 200)
        var stored = try VaultDocument(parsing: folder.read("vault.json")!, path: "v").cachedResults
        #expect(stored.map(\.id) == [name(2), name(3)])
        for n in 10..<(10 + FileVaultBackend.cachedResultLimit + 5) {
            try vault.storeCachedResult(name(n), result, expires: now + 10_000 + n, now: now)
        }
        stored = try VaultDocument(parsing: folder.read("vault.json")!, path: "v").cachedResults
        #expect(stored.count == FileVaultBackend.cachedResultLimit)
        #expect(!stored.contains { $0.id == name(2) || $0.id == name(3) })   // those expiring soonest went
    }

    @Test func otherWritesKeepTheResults() throws {
        let folder = TemporaryFolder()
        let vault = try vaultWithEntry(folder)
        try vault.storeCachedResult(id, result, expires: now + 3600, now: now)
        try vault.store([VaultEntry(profile: "ci", accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: secret, added: now)], replace: false)
        try vault.storeSession("prod", Array("session".utf8))
        try vault.remove(["ci"])
        #expect(try fileVault(folder).cachedResult(id, now: now) == result)
    }
}
