import Foundation
import AWSConfig
import AWSCore
@testable import Vault

/// A fresh folder under the system's temporary folder, removed when the value goes.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "credctl-vault-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: file(name)).map { Array($0) } }

    func write(_ name: String, _ text: String) {
        precondition(FileManager.default.createFile(atPath: file(name), contents: Data(text.utf8)), "cannot write \(file(name))")
    }

    func mode(_ name: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file(name))[.posixPermissions]) as? Int) ?? -1 }

    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Cheap scrypt for tests that are not about the cost (the defaults take a quarter second).
let cheapCost: (n: UInt64, r: UInt64, p: UInt64) = (1024, 8, 1)

let keyId = "AKIAIOSFODNN7EXAMPLE"
let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func passphrase(_ value: String) -> PassphraseSource {
    PassphraseSource(.variable(value), environment: Environment(), prompt: { _ in nil })
}

func fileVault(_ folder: TemporaryFolder, passphrase value: String = "correct horse battery", cost: (n: UInt64, r: UInt64, p: UInt64) = cheapCost) -> FileVaultBackend {
    FileVaultBackend(path: folder.file("vault.json"), passphrase: passphrase(value), cost: cost)
}

/// Runs a program and returns its standard output (tests only). Through credctl's own
/// `Subprocess` rather than Foundation's `Process`, whose `waitUntilExit` was seen to hang
/// under swift-testing once the keyring daemons were left running.
@discardableResult
func shell(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
    let result = try Subprocess.run(arguments, environment: environment ?? ProcessInfo.processInfo.environment)
    return (result.status, String(decoding: result.standardOutput, as: UTF8.self))
}

/// The package's root folder (to find scripts/).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
