import Foundation
import Testing
import AWSConfig
import AWSCore
@testable import Vault

/// Answers prompts from a list, recording what was asked.
final class ScriptedPrompt: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String?]
    private(set) var asked: [String] = []

    init(_ answers: [String?]) { self.answers = answers }

    var prompt: @Sendable (String) -> [UInt8]? {
        { question in
            self.lock.lock()
            defer { self.lock.unlock() }
            self.asked.append(question)
            return self.answers.isEmpty ? nil : self.answers.removeFirst().map { Array($0.utf8) }
        }
    }
}

struct PassphraseSourceTests {
    let env = Environment(["PATH": "/usr/bin:/bin"])

    /// Each setting (resolved in AWSConfig, `PassphraseSetting`) is where the passphrase comes from.
    @Test func theOriginIsTheSetting() throws {
        let given = PassphraseSource(.variable("from-env"), environment: env, prompt: { _ in nil })
        #expect(given.origin == .environment)
        #expect(try given.passphrase(newVault: false, vault: "v") == Array("from-env".utf8))
        #expect(PassphraseSource(.command("printf x"), environment: env).origin == .command("printf x"))
        #expect(PassphraseSource(.prompt, environment: env).origin == .prompt)
    }

    @Test func commandOutputIsThePassphraseWithoutItsNewline() throws {
        let source = PassphraseSource(.command("printf '%s\\n' 'open sesame'"), environment: env)
        #expect(try source.passphrase(newVault: false, vault: "v") == Array("open sesame".utf8))
        let crlf = PassphraseSource(.command("printf 'abc\\r\\n'"), environment: env)
        #expect(try crlf.passphrase(newVault: false, vault: "v") == Array("abc".utf8))
    }

    @Test func failingCommandsAreTypedErrorsWithoutTheirOutput() {
        let failing = PassphraseSource(.command("sh -c 'echo leaked-secret; exit 7'"), environment: env)
        #expect(throws: VaultError.passphraseUnavailable("the passphrase command `sh -c 'echo leaked-secret; exit 7'` exited with status 7")) {
            try failing.passphrase(newVault: false, vault: "v")
        }
        #expect(throws: VaultError.passphraseUnavailable("the passphrase command `printf 'open` is empty or leaves a quote open")) {
            try PassphraseSource(.command("printf 'open"), environment: env).passphrase(newVault: false, vault: "v")
        }
        #expect(throws: VaultError.passphraseUnavailable("cannot run no-such-program-credctl: No such file or directory")) {
            try PassphraseSource(.command("no-such-program-credctl"), environment: env).passphrase(newVault: false, vault: "v")
        }
        #expect(throws: VaultError.passphraseUnavailable("the passphrase from the passphrase command `true` is empty")) {
            try PassphraseSource(.command("true"), environment: env).passphrase(newVault: false, vault: "v")
        }
    }

    @Test func newVaultsAskTwiceAndRefuseShortOrDifferingAnswers() throws {
        let ok = ScriptedPrompt(["long enough phrase", "long enough phrase"])
        #expect(try PassphraseSource(.prompt, environment: env, prompt: ok.prompt).passphrase(newVault: true, vault: "/v")
                == Array("long enough phrase".utf8))
        #expect(ok.asked == ["New passphrase for the vault /v: ", "Repeat the new passphrase: "])
        let differ = ScriptedPrompt(["long enough phrase", "long enough phrasf"])
        #expect(throws: VaultError.passphraseUnavailable("the two passphrases differ; nothing was changed")) {
            try PassphraseSource(.prompt, environment: env, prompt: differ.prompt).passphrase(newVault: true, vault: "/v")
        }
        let short = ScriptedPrompt(["short", "short"])
        #expect(throws: VaultError.passphraseUnavailable("a new vault's passphrase must be at least 8 characters long")) {
            try PassphraseSource(.prompt, environment: env, prompt: short.prompt).passphrase(newVault: true, vault: "/v")
        }
        let unlock = ScriptedPrompt(["short"])
        #expect(try PassphraseSource(.prompt, environment: env, prompt: unlock.prompt).passphrase(newVault: false, vault: "/v") == Array("short".utf8))
        #expect(unlock.asked == ["Passphrase for the vault /v: "])
    }

    @Test func noTerminalIsATypedError() {
        let none = PassphraseSource(.prompt, environment: env, prompt: { _ in nil })
        let expected = VaultError.passphraseUnavailable(
            "there is no terminal to ask on; set CREDCTL_VAULT_PASSPHRASE, or give --passphrase-command or CREDCTL_VAULT_PASSPHRASE_COMMAND")
        #expect(throws: expected) { try none.passphrase(newVault: false, vault: "v") }
        if case .noCredentials = expected.awsError {} else { Issue.record("no passphrase must be a credentials error (exit 3)") }
    }

    @Test func aVaultMadeWithOneSourceOpensWithAnother() throws {
        let folder = TemporaryFolder()
        let prompt = ScriptedPrompt(["tr0ub4dor&3 horse", "tr0ub4dor&3 horse"])
        let path = folder.file("vault.json")
        try FileVaultBackend(path: path, passphrase: PassphraseSource(.prompt, environment: env, prompt: prompt.prompt), cost: cheapCost)
            .store([VaultEntry(profile: "p", accessKeyId: keyId, secretAccessKey: secret, added: 0)], replace: false)
        let command = PassphraseSource(.command("printf %s 'tr0ub4dor&3 horse'"), environment: env)
        #expect(try FileVaultBackend(path: path, passphrase: command).entry("p").secretAccessKey == secret)
    }
}
