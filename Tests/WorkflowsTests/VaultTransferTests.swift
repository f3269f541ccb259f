import Foundation
import Testing
import AWSConfig
import AWSCore
@testable import Vault
@testable import Workflows

/// Import and export as the files see them: order, resumption after a kill, the backup.
struct VaultTransferTests {
    let keyId = "AKIAIOSFODNN7EXAMPLE"
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    final class Home {
        let path = NSTemporaryDirectory() + "credctl-vault-transfer-" + UUID().uuidString
        init() { try! FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) {
            precondition(FileManager.default.createFile(atPath: path + "/.aws/" + name, contents: Data(text.utf8)), "cannot write \(name)")
        }
        func read(_ name: String) -> String? { FileManager.default.contents(atPath: path + "/.aws/" + name).map { String(decoding: $0, as: UTF8.self) } }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/.aws/" + name) }
    }

    func transfer(_ home: Home, passphrase: String = "correct horse battery") -> VaultTransfer {
        let source = PassphraseSource(.variable(passphrase), environment: Environment(), prompt: { _ in nil })
        let vault = Vault(backend: FileVaultBackend(path: home.path + "/.aws/credctl/vault.json", passphrase: source, cost: (1024, 8, 1)))
        return VaultTransfer(vault: vault, credentialsPath: home.path + "/.aws/credentials", configPath: home.path + "/.aws/config",
                             state: RotationState(directory: home.path + "/.aws/credctl/rotation"))
    }

    @Test func importMovesTheKeysAndDeletesTheBackup() throws {
        let home = Home()
        home.write("credentials", "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
        home.write("credentials.credctl-backup", "[p]\naws_secret_access_key = \(secret)\n")
        home.write("config", "[profile p]\nregion = us-east-1\n")
        chmod(home.path + "/.aws/config", 0o644)
        let report = try transfer(home).importProfiles(["p"], program: "credctl", now: 0)
        #expect(report.imported == ["p"] && report.alreadyInVault.isEmpty && report.backupRemoved == home.path + "/.aws/credentials.credctl-backup")
        #expect(home.read("credentials") == "[p]\n" && !home.exists("credentials.credctl-backup"))
        #expect(home.read("config") == "[profile p]\nregion = us-east-1\ncredential_process = credctl vault credential-process --profile p\n")
        // The config file keeps its mode; the credentials file is private.
        #expect((try FileManager.default.attributesOfItem(atPath: home.path + "/.aws/config")[.posixPermissions]) as? Int == 0o644)
        #expect((try FileManager.default.attributesOfItem(atPath: home.path + "/.aws/credentials")[.posixPermissions]) as? Int == 0o600)
        #expect(try transfer(home).vault.credentials(profile: "p").secretAccessKey == secret)
    }

    @Test func aRerunFinishesAnImportKilledAfterTheVaultWrite() throws {
        let home = Home()
        home.write("credentials", "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
        // Killed after step 2: the vault holds the key, the files are untouched.
        try transfer(home).vault.add(profile: "p", accessKeyId: keyId, secretAccessKey: secret, now: 0)
        let report = try transfer(home).importProfiles(["p"], program: "credctl", now: 5)
        #expect(report.imported == ["p"] && report.alreadyInVault == ["p"])
        #expect(home.read("credentials") == "[p]\n" && home.read("config")?.contains("credential_process") == true)
        // A different key under that name is not overwritten without --replace, and nothing changes.
        home.write("credentials", "[p]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = \(secret)\n")
        let config = home.read("config")
        #expect(throws: AWSError.self) { try transfer(home).importProfiles(["p"], program: "credctl", now: 6) }
        #expect(home.read("credentials") == "[p]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = \(secret)\n" && home.read("config") == config)
        let replaced = try transfer(home).importProfiles(["p"], program: "credctl", replace: true, now: 7)
        #expect(replaced.imported == ["p"] && replaced.alreadyInVault.isEmpty)
        #expect(try transfer(home).vault.credentials(profile: "p").accessKeyId == "AKIAI44QH8DHBEXAMPLE")
    }

    @Test func aWrongPassphraseChangesNoFile() throws {
        let home = Home()
        try transfer(home).vault.add(profile: "other", accessKeyId: keyId, secretAccessKey: secret, now: 0)
        home.write("credentials", "[p]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = \(secret)\n")
        let vaultBefore = FileManager.default.contents(atPath: home.path + "/.aws/credctl/vault.json")
        do {
            _ = try transfer(home, passphrase: "wrong passphrase").importProfiles(["p"], program: "credctl", now: 0)
            Issue.record("imported with a wrong passphrase")
        } catch {
            guard case .invalidCredentials(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("wrong passphrase for the vault"))
        }
        #expect(home.read("credentials") == "[p]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = \(secret)\n")
        #expect(!home.exists("config"))
        #expect(FileManager.default.contents(atPath: home.path + "/.aws/credctl/vault.json") == vaultBefore)
    }

    @Test func nothingToImportIsAUsageError() throws {
        let home = Home()
        home.write("credentials", "[t]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = \(secret)\naws_session_token = x\n")
        do { _ = try transfer(home).importProfiles(nil, program: "credctl", now: 0); Issue.record("imported a temporary key") } catch {
            guard case .configuration(let e) = error else { Issue.record("\(error)"); return }
            #expect(e.message == "no profile in \(home.path)/.aws/credentials holds a long-term key to import (t: \(home.path)/.aws/credentials, line 4: profile [t] holds a session token beside a long-term key; remove the token line)")
        }
    }

    @Test func exportPutsTheKeysBack() throws {
        let home = Home()
        home.write("credentials", "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
        _ = try transfer(home).importProfiles(["p"], program: "/opt/credctl", now: 0)
        let report = try transfer(home).exportProfile("p", removeFromVault: true)
        #expect(report.credentialProcessRemoved && report.removedFromVault)
        #expect(home.read("credentials") == "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
        #expect(home.read("config") == "[profile p]\n")
        #expect(try transfer(home).vault.list().isEmpty)
    }
}
