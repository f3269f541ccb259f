import Foundation
import AWSCore
import AWSCredentials
import SigV4
import Synchronization
import Testing
import Vault
@testable import Workflows

/// `credctl cached` without an agent, on a hand-moved clock: a result is served from the vault
/// while 15 minutes or more remain, run again after that, and kept only when it has an
/// Expiration that far away; a failing run keeps nothing; what is kept reads back byte for byte.
@Suite struct SealedCachedResultsTests {
    final class Clock: Sendable {
        let t = Atomic<Int>(1_800_000_000)
        func now() -> Int { t.load(ordering: .relaxed) }
        func advance(_ s: Int) { t.add(s, ordering: .relaxed) }
    }

    final class Runs: Sendable {
        let count = Atomic<Int>(0)
        func next() -> Int { count.add(1, ordering: .relaxed).newValue }
    }

    let folder = NSTemporaryDirectory() + "credctl-sealed-cached-" + UUID().uuidString

    func cache(_ clock: Clock) throws -> SealedCachedResults {
        let passphrase = PassphraseSource(.variable("correct horse battery"), environment: Environment(),
                                          prompt: { _ in nil })
        let vault = FileVaultBackend(path: folder + "/vault.json", passphrase: passphrase, cost: (1024, 8, 1))
        if try !vault.exists() {
            try vault.store([VaultEntry(profile: "p", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                        added: clock.now())], replace: false)
        }
        return SealedCachedResults(vault: vault, lockFolder: folder + "/cached", now: { clock.now() }, log: .off)
    }

    func credentials(_ n: Int, expiration: Int?, account: String? = nil) -> Credentials {
        Credentials(signing: SigningCredentials(accessKeyId: "ASIAFAKE\(n)", secretAccessKey: "secret-\(n)", sessionToken: "token-\(n)"),
                    expiration: expiration, provenance: Provenance(provider: .process, rule: "credctl cached"), accountId: account)
    }

    func printed(_ c: Credentials) throws -> String { try CredentialExport(credentials: c, region: nil).render(.process) }

    @Test func servedUntilFifteenMinutesBeforeExpiryThenRunAgain() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = Clock()
        let runs = Runs()
        let cache = try cache(clock)
        let expiration = clock.now() + 3600
        let run = { () throws(AWSError) -> Credentials in self.credentials(runs.next(), expiration: expiration, account: "123456789012") }
        let first = try cache.result(key: "k1", origin: "test", run: run)
        #expect(runs.count.load(ordering: .relaxed) == 1 && first.provenance.fromCache == false)
        let second = try cache.result(key: "k1", origin: "test", run: run)
        #expect(runs.count.load(ordering: .relaxed) == 1 && second.provenance.fromCache)
        #expect(try printed(second) == printed(first))   // the same bytes, AccountId included
        clock.advance(3600 - 15 * 60 - 1)                 // 15 min 1 s left: still served
        _ = try cache.result(key: "k1", origin: "test", run: run)
        #expect(runs.count.load(ordering: .relaxed) == 1)
        clock.advance(2)                                  // within 15 minutes: run again
        let third = try cache.result(key: "k1", origin: "test", run: run)
        #expect(runs.count.load(ordering: .relaxed) == 2 && third.provenance.fromCache == false)
        // The new result has the same (now near) Expiration: it is not kept, and the stale one is removed.
        #expect(try cache.vault.cachedResult("k1", now: clock.now()) == nil)
        // Another line has its own result.
        _ = try cache.result(key: "k2", origin: "test", run: { () throws(AWSError) in self.credentials(runs.next(), expiration: clock.now() + 7200) })
        _ = try cache.result(key: "k2", origin: "test", run: { () throws(AWSError) in self.credentials(runs.next(), expiration: clock.now() + 7200) })
        #expect(runs.count.load(ordering: .relaxed) == 3)
    }

    @Test func failuresAndResultsWithoutAnExpirationAreNotKept() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = Clock()
        let runs = Runs()
        let cache = try cache(clock)
        for _ in 0..<2 {
            do {
                _ = try cache.result(key: "k", origin: "test", run: { () throws(AWSError) -> Credentials in _ = runs.next(); throw .noCredentials("it failed") })
                Issue.record("a failing run gave a result")
            } catch {
                #expect(error.description == "it failed")
            }
        }
        for _ in 0..<2 {
            _ = try cache.result(key: "k", origin: "test", run: { () throws(AWSError) in self.credentials(runs.next(), expiration: nil) })
        }
        #expect(runs.count.load(ordering: .relaxed) == 4)
        #expect(try cache.vault.cachedResult("k", now: clock.now()) == nil)
    }

    @Test func aKeptResultThatNoLongerReadsAsProcessOutputIsRunAgain() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = Clock()
        let runs = Runs()
        let cache = try cache(clock)
        // Sealed under the right key, but not a credential_process result (Version 2).
        try cache.vault.storeCachedResult("k", Array(#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2099-01-01T00:00:00Z"}"#.utf8),
                                          expires: clock.now() + 3600, now: clock.now())
        let fresh = try cache.result(key: "k", origin: "test", run: { () throws(AWSError) in self.credentials(runs.next(), expiration: clock.now() + 3600) })
        #expect(runs.count.load(ordering: .relaxed) == 1 && fresh.signing.accessKeyId == "ASIAFAKE1")
        #expect(try cache.vault.cachedResult("k", now: clock.now()).map { String(decoding: $0, as: UTF8.self) } == printed(fresh))
    }
}
