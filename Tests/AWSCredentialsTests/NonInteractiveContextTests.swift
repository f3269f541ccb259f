import Foundation
import Testing
import AWSConfig
import AWSClients
import AWSCore
import Synchronization
@testable import AWSCredentials

/// `CredentialContext.withoutInteraction()`, shell completion's context: nothing that could wait
/// on the user runs (a prompt, `mfa_process`, `credential_process`, a vault passphrase from
/// anywhere but the variable); each is refused with no credentials.
struct NonInteractiveContextTests {
    static func context(environment: [String: String] = ["PATH": "/usr/bin:/bin"]) -> CredentialContext {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: nil, credentials: nil)
        return CredentialContext(files: files, environment: Environment(environment), settings: CredentialSettings(),
                                 profileName: "p", core: { ClientCore(transport: CurlTransport()) }, region: nil)
    }

    @Test func noMFAPromptNorProcessIsAsked() {
        let asked = Mutex(0)
        var context = Self.context()
        context.mfa = MFACodeSource(process: "/bin/echo 123456", prompt: { _ in asked.withLock { $0 += 1 }; return "123456" })
        let quiet = context.withoutInteraction()
        #expect(quiet.mfa.prompt == nil && quiet.mfa.process == nil && quiet.mfa.code == nil)
        #expect(throws: AWSError.self) { try quiet.mfa.code(serial: "arn:aws:iam::123456789012:mfa/u", profile: "p") }
        #expect(asked.withLock { $0 } == 0)
        #expect(context.mayInteract && !quiet.mayInteract)
    }

    @Test func noCredentialProcessIsRun() throws {
        let marker = NSTemporaryDirectory() + "credctl-noninteractive-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(marker) }
        let json = #"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s"}"#
        let command = SourcedValue("/bin/sh -c 'touch \(marker); echo \"$0\"' '\(json)'", source: "/c:3")
        let quiet = ProcessCredentialsProvider(context: Self.context().withoutInteraction(),
                                               settings: ProcessSettings(profile: "p", command: command, depth: 1))
        do {
            _ = try quiet.resolve()
            Issue.record("a credential_process ran without interaction")
        } catch {
            #expect(error.exitStatus == AWSError.noCredentials("").exitStatus)
            #expect(error.description == "credential_process of profile 'p' (/c:3) is not run where nothing may wait on the user (shell completion)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        // The same provider in an ordinary context runs it.
        let ordinary = ProcessCredentialsProvider(context: Self.context(), settings: ProcessSettings(profile: "p", command: command, depth: 1))
        guard case .found = try ordinary.resolve() else { Issue.record("not found"); return }
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test(arguments: [
        [String: String](),                                                          // the passphrase would be asked on the terminal
        ["CREDCTL_VAULT_PASSPHRASE_COMMAND": "/bin/echo passphrase"],               // a command (pinentry, a password manager)
        ["CREDCTL_VAULT_PASSPHRASE": "passphrase", "CREDCTL_VAULT_BACKEND": "secret-service"], // a keyring that may ask to be unlocked
    ])
    func theVaultIsOpenedOnlyWithThePassphraseVariable(_ variables: [String: String]) {
        let quiet = Self.context(environment: variables.merging(["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]) { a, _ in a }).withoutInteraction()
        do {
            _ = try quiet.openVault(nil)
            Issue.record("the vault was opened")
        } catch {
            #expect(error.description.contains("not opened where nothing may wait on the user"))
        }
    }

    @Test func theVaultOpensWithThePassphraseVariable() throws {
        let quiet = Self.context(environment: ["CREDCTL_VAULT_PASSPHRASE": "passphrase", "HOME": "/nonexistent"]).withoutInteraction()
        #expect(throws: Never.self) { _ = try quiet.openVault(nil) }
    }
}
