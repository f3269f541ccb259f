import Foundation
import Testing
import AWSCore
@testable import Vault

/// A real gnome-keyring-daemon on a private D-Bus bus (scripts/lib/keyring.sh), stopped when the value goes.
final class PrivateKeyring {
    let folder = TemporaryFolder()
    let environment: Environment

    init() throws {
        let script = packageRoot + "/scripts/lib/keyring.sh"
        let started = try shell(["bash", script, "start", folder.path, "keyring password"],
                                environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        guard started.status == 0 else { throw KeyringError(message: "keyring.sh start failed (install it with scripts/lib/deps.sh)") }
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for line in started.output.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            variables[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        environment = Environment(variables)
    }

    func lock() throws { try shell(["bash", packageRoot + "/scripts/lib/keyring.sh", "lock", folder.path]) }

    deinit { _ = try? shell(["bash", packageRoot + "/scripts/lib/keyring.sh", "stop", folder.path]) }

    struct KeyringError: Error { var message: String }
}

struct SecretServiceBackendTests {
    let now = 1_800_000_000

    func entry(_ profile: String, id: String = keyId, added: Int = 1_800_000_000) -> VaultEntry {
        VaultEntry(profile: profile, accessKeyId: id, secretAccessKey: secret, added: added, mfaSerial: "arn:aws:iam::123456789012:mfa/me",
                   session: SessionCredentialSettings(useSessionToken: false, durationSeconds: 900))
    }

    @Test func roundTripAgainstARealKeyring() throws {
        let keyring = try PrivateKeyring()
        let vault = Vault(backend: SecretServiceBackend(environment: keyring.environment))
        #expect(try vault.list().isEmpty)
        try vault.add([entry("prod"), entry("dev", id: "AKIAI44QH8DHBEXAMPLE")])
        #expect(try vault.entry(profile: "prod") == entry("prod"))
        #expect(try vault.credentials(profile: "dev").accessKeyId == "AKIAI44QH8DHBEXAMPLE")
        #expect(try vault.list().map(\.profile).sorted() == ["dev", "prod"])
        #expect(try vault.metadata(profile: "prod") == entry("prod").metadata)
        #expect(throws: VaultError.alreadyExists(profile: "prod", vault: vault.backend.location)) { try vault.add([entry("prod")]) }
        // Replacing leaves exactly one item for the profile, the new one.
        try vault.add([entry("prod", id: "AKIAI44QH8DHBEXAMPLE", added: now + 5)], replace: true)
        #expect(try vault.entry(profile: "prod").accessKeyId == "AKIAI44QH8DHBEXAMPLE")
        let backend = SecretServiceBackend(environment: keyring.environment)
        #expect(try backend.search(["profile": "prod"]).count == 1)
        try vault.remove(profile: "prod")
        #expect(try vault.list().map(\.profile) == ["dev"])
        #expect(throws: VaultError.notFound(profile: "prod", vault: vault.backend.location)) { try vault.entry(profile: "prod") }
        #expect(throws: VaultError.notFound(profile: "prod", vault: vault.backend.location)) { try vault.remove(profile: "prod") }
        let missing = VaultError.notFound(profile: "prod", vault: vault.backend.location)
        if case .noCredentials = missing.awsError {} else { Issue.record("a missing entry must be a credentials error (exit 3)") }
    }

    @Test func theSecretGoesOnStandardInputNeverInArguments() throws {
        let keyring = try PrivateKeyring()
        let log = keyring.folder.file("argv.log")
        let wrapper = keyring.folder.file("secret-tool-wrapper")
        try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '\(log)'\nexec secret-tool \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o700)
        let backend = SecretServiceBackend(environment: keyring.environment, tool: wrapper)
        try backend.store([entry("prod")], replace: false)
        #expect(try backend.entry("prod").secretAccessKey == secret)
        let arguments = try String(contentsOfFile: log, encoding: .utf8)
        #expect(arguments.contains("store --label=credctl: AWS access key of profile prod"))
        #expect(!arguments.contains(secret) && !arguments.contains(keyId))
    }

    @Test func aLockedKeyringGivesNothingAndChangesNothing() throws {
        let keyring = try PrivateKeyring()
        let vault = Vault(backend: SecretServiceBackend(environment: keyring.environment))
        try vault.add([entry("prod")])
        try keyring.lock()
        func isLocked(_ body: () throws(VaultError) -> Void) -> Bool {
            do { try body(); return false } catch { if case .keyringLocked = error { return true }; return false }
        }
        #expect(isLocked { () throws(VaultError) in _ = try vault.entry(profile: "prod") })
        #expect(isLocked { () throws(VaultError) in try vault.remove(profile: "prod") })
        #expect(isLocked { () throws(VaultError) in try vault.add([entry("dev")]) })
        // The clear fields are still listed; the entry is still there.
        #expect(try vault.list().map(\.profile) == ["prod"])
        #expect(try SecretServiceBackend(environment: keyring.environment).search([:]).count == 1)
        do { _ = try vault.entry(profile: "prod") } catch {
            #expect(error == .keyringLocked("the item of profile 'prod' exists but the keyring gives out no secret"))
            #expect(error.description == "the keyring is locked (the item of profile 'prod' exists but the keyring gives out no secret); unlock it, for example by logging in to the desktop session, and retry")
            if case .noCredentials = error.awsError {} else { Issue.record("a locked keyring must be a credentials error (exit 3)") }
        }
    }

    @Test func noServiceAndNoClientAreTypedErrors() throws {
        let folder = TemporaryFolder()
        let noBus = SecretServiceBackend(environment: Environment(["PATH": "/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(folder.path)/none"]))
        #expect(throws: VaultError.keyringUnavailable("cannot search the keyring: secret-tool: Could not connect: No such file or directory")) {
            try noBus.list()
        }
        let noTool = SecretServiceBackend(environment: Environment(["PATH": "/usr/bin:/bin"]), tool: "/nonexistent/secret-tool")
        #expect(throws: VaultError.keyringUnavailable("cannot run /nonexistent/secret-tool: No such file or directory (Debian: apt-get install libsecret-tools)")) {
            try noTool.entry("prod")
        }
    }

    @Test func aToolPrintingWithoutEndIsNotRead() throws {
        let folder = TemporaryFolder()
        let tool = folder.path + "/secret-tool"
        try #require(FileManager.default.createFile(atPath: tool, contents: Data("#!/bin/sh\nhead -c 3000000 /dev/zero\n".utf8),
                                                    attributes: [.posixPermissions: 0o755]))
        let backend = SecretServiceBackend(environment: Environment(["PATH": "/usr/bin:/bin"]), tool: tool)
        #expect(throws: VaultError.keyringUnavailable("\(tool) printed more than 1048576 bytes; its output is not read")) {
            try backend.list()
        }
    }

    @Test func searchOutputParsing() {
        // What secret-tool 0.20 prints: headers, labels and secrets on stdout, attributes on stderr.
        let output = """
            [/org/freedesktop/secrets/collection/login/1]
            label = credctl: AWS access key of profile a
            secret = {"aws_access_key_id":"AKIA…","aws_secret_access_key":"x = y"}
            created = 2026-11-23 22:38:43
            [/org/freedesktop/secrets/collection/login/3]
            label = credctl: AWS access key of profile b

            """
        let errors = """
            attribute.service = credctl
            attribute.profile = a = b
            attribute.item_id = 00ff
            attribute.masked_access_key_id = AKIA************MPLE
            attribute.added = 2027-01-15T08:00:00Z
            attribute.session_credentials = session-token
            attribute.mfa_serial =\u{20}
            attribute.session_duration_seconds = 900
            secret-tool: Cannot get secret of a locked object
            attribute.item_id = 01
            attribute.masked_access_key_id = AKIA************MPLE
            attribute.service = credctl
            attribute.added = 2027-01-15T08:00:00Z
            attribute.session_duration_seconds =\u{20}
            attribute.profile = b
            attribute.session_credentials = long-term-key
            attribute.mfa_serial = arn:aws:iam::123456789012:mfa/me

            """
        let items = SecretServiceItem.parseSearchOutput(standardOutput: Array(output.utf8), standardError: Array(errors.utf8))
        #expect(items == [
            SecretServiceItem(profile: "a = b", itemId: "00ff", metadata: VaultEntryMetadata(
                maskedKeyId: "AKIA************MPLE", added: 1_800_000_000, session: SessionCredentialSettings(durationSeconds: 900))),
            SecretServiceItem(profile: "b", itemId: "01", metadata: VaultEntryMetadata(
                maskedKeyId: "AKIA************MPLE", added: 1_800_000_000, mfaSerial: "arn:aws:iam::123456789012:mfa/me",
                session: SessionCredentialSettings(useSessionToken: false))),
        ])
        // Streams that disagree on the number of items are refused, not guessed at.
        #expect(SecretServiceItem.parseSearchOutput(standardOutput: Array("[/1]\n".utf8), standardError: Array(errors.utf8)) == nil)
    }
}
