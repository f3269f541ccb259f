import Testing
import AWSConfig
@testable import Vault

struct VaultFileTransferTests {
    let program = "/usr/local/bin/credctl"
    let otherSecret = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"

    func editor(_ text: String) throws -> CredentialsFileEditor {
        try CredentialsFileEditor(path: "/h/.aws/credentials", bytes: Array(text.utf8))
    }

    @Test func importKeepsEveryOtherByte() throws {
        let credentials = """
            # my keys
            [default]
            aws_access_key_id=AKIAI44QH8DHBEXAMPLE
            aws_secret_access_key=\(otherSecret)

            [prod]
            ; added by hand
            aws_access_key_id   =   \(keyId)
            region = eu-west-1
            aws_secret_access_key = \(secret)
            # trailing comment

            """
        let config = """
            [default]
            region = us-east-1

            [profile prod]
            output = json
            mfa_serial = arn:aws:iam::123456789012:mfa/me
            # about prod

            [profile other]
            region = eu-central-1
            """
        let plan = try VaultFileTransfer.importPlan(credentials: try editor(credentials), configPath: "/h/.aws/config",
                                                    configBytes: Array(config.utf8), profiles: ["prod"], program: program, now: 42)
        #expect(String(decoding: plan.credentials, as: UTF8.self) == """
            # my keys
            [default]
            aws_access_key_id=AKIAI44QH8DHBEXAMPLE
            aws_secret_access_key=\(otherSecret)

            [prod]
            ; added by hand
            region = eu-west-1
            # trailing comment

            """)
        #expect(String(decoding: plan.config, as: UTF8.self) == """
            [default]
            region = us-east-1

            [profile prod]
            output = json
            mfa_serial = arn:aws:iam::123456789012:mfa/me
            credential_process = /usr/local/bin/credctl vault credential-process --profile prod
            # about prod

            [profile other]
            region = eu-central-1
            """)
        #expect(plan.entries == [VaultEntry(profile: "prod", accessKeyId: keyId, secretAccessKey: secret, added: 42,
                                            mfaSerial: "arn:aws:iam::123456789012:mfa/me")])
        #expect(plan.skipped.isEmpty)
    }

    @Test func importAllSkipsWhatCannotMoveAndAddsMissingConfigSections() throws {
        let credentials = "[default]\r\naws_access_key_id = \(keyId)\r\naws_secret_access_key = \(secret)\r\n[temp]\r\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = temporarySecretKeyValue0\r\naws_session_token = tok\r\n[my team]\r\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\r\naws_secret_access_key = \(otherSecret)\r\n[region-only]\r\nregion = us-east-1\r\n"
        let config = "[profile x]\r\nregion = us-east-1\r\n"
        let plan = try VaultFileTransfer.importPlan(credentials: try editor(credentials), configPath: "/h/.aws/config",
                                                    configBytes: Array(config.utf8), profiles: nil, program: program, now: 0)
        #expect(plan.entries.map(\.profile) == ["default", "my team"])
        #expect(plan.skipped == [SkippedProfile(profile: "temp", reason: "/h/.aws/credentials, line 7: profile [temp] holds a session token beside a long-term key; remove the token line")])
        #expect(String(decoding: plan.credentials, as: UTF8.self)
                == "[default]\r\n[temp]\r\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = temporarySecretKeyValue0\r\naws_session_token = tok\r\n[my team]\r\n[region-only]\r\nregion = us-east-1\r\n")
        #expect(String(decoding: plan.config, as: UTF8.self) == "[profile x]\r\nregion = us-east-1\r\n\r\n[default]\r\ncredential_process = /usr/local/bin/credctl vault credential-process --profile default\r\n\r\n[profile 'my team']\r\ncredential_process = /usr/local/bin/credctl vault credential-process --profile 'my team'\r\n")
        // botocore's reading of the new section name is the profile's name.
        let parsed = try INIFile(parsing: String(decoding: plan.config, as: UTF8.self), path: "c")
        #expect(SharedConfigFiles.section(of: parsed, forProfile: "my team")?["credential_process"] != nil)
    }

    @Test func importRefusals() throws {
        let base = "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n"
        func refusal(_ credentials: String, config: String = "", profile: String = "p") throws -> VaultError? {
            let editor = try editor(credentials)
            do throws(VaultError) {
                _ = try VaultFileTransfer.importPlan(credentials: editor, configPath: "/h/.aws/config",
                                                    configBytes: Array(config.utf8), profiles: [profile], program: program, now: 0)
                return nil
            } catch { return error }
        }
        #expect(try refusal(base, profile: "q") == .invalidInput("there is no profile [q] in /h/.aws/credentials"))
        #expect(try refusal(base + "aws_session_token = x\n")
                == .invalidInput("/h/.aws/credentials, line 4: profile [p] holds a session token beside a long-term key; remove the token line"))
        #expect(try refusal("[p]\naws_access_key_id = \(keyId)\n") == .invalidInput("/h/.aws/credentials, line 1: profile [p] has no aws_secret_access_key"))
        #expect(try refusal(base, config: "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p\n")
                == .invalidInput("profile 'p' assumes a role; import the profile that holds its source keys instead"))
        #expect(try refusal(base, config: "[profile p]\ncredential_process = /opt/other-tool\n")
                == .invalidInput("profile 'p' already sets credential_process in /h/.aws/config; nothing was changed"))
        #expect(try refusal(base, config: "[profile p]\naws_secret_access_key = x\n")
                == .invalidInput("profile 'p' also holds keys in /h/.aws/config; remove them from there first"))
        #expect(try refusal("[p]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = \(secret)\n")
                == .invalidInput("profile [p]: ASIA************MPLE is a temporary key (ASIA…); the vault holds long-term keys (AKIA…)"))
        #expect(try refusal(base, config: "[profile p]\nregion = x\n  continued\n") == nil)
        // The same key under a second profile: importing one would leave the secret in clear in the other.
        #expect(try refusal(base + "[copy]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
                == .invalidInput("the secret of profile 'p' is also in another profile of /h/.aws/credentials; import them together (--all) or remove the copy; nothing was changed"))
        #expect(try refusal(base, config: "[profile p\n") == .invalidInput("/h/.aws/config, line 1: '[profile p' is outside any [section]"))
    }

    @Test func importIsRepeatableWhenOurLineIsAlreadyThere() throws {
        let config = "[profile p]\ncredential_process = credctl vault credential-process --profile p\n"
        let plan = try VaultFileTransfer.importPlan(
            credentials: try editor("[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n"), configPath: "/h/.aws/config",
            configBytes: Array(config.utf8), profiles: ["p"], program: program, now: 0)
        #expect(String(decoding: plan.config, as: UTF8.self) == "[profile p]\ncredential_process = /usr/local/bin/credctl vault credential-process --profile p\n")
    }

    @Test func exportPutsTheKeysBackAndTakesOurLineOut() throws {
        let original = "[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\nregion = eu-west-1\n\n[q]\nregion = x\n"
        let config = "[profile p]\noutput = json\n"
        let plan = try VaultFileTransfer.importPlan(credentials: try editor(original), configPath: "/h/.aws/config",
                                                    configBytes: Array(config.utf8), profiles: ["p"], program: program, now: 0)
        let back = try VaultFileTransfer.exportPlan(entry: plan.entries[0], credentials: try editor(String(decoding: plan.credentials, as: UTF8.self)),
                                                    configPath: "/h/.aws/config", configBytes: plan.config)
        #expect(String(decoding: back.credentials, as: UTF8.self)
                == "[p]\nregion = eu-west-1\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n\n[q]\nregion = x\n")
        #expect(back.config == Array(config.utf8))
        // A profile the credentials file lacks is appended; one that holds keys is refused.
        let appended = try VaultFileTransfer.exportPlan(entry: plan.entries[0], credentials: try editor("[q]\nregion = x"),
                                                        configPath: "/h/.aws/config", configBytes: [])
        #expect(String(decoding: appended.credentials, as: UTF8.self)
                == "[q]\nregion = x\n\n[p]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n")
        #expect(throws: VaultError.invalidInput("profile [p] in /h/.aws/credentials already holds keys; nothing was changed")) {
            try VaultFileTransfer.exportPlan(entry: plan.entries[0], credentials: try editor(original), configPath: "/h/.aws/config", configBytes: [])
        }
        // Someone else's credential_process stays.
        let foreign = try VaultFileTransfer.exportPlan(entry: plan.entries[0], credentials: try editor(""), configPath: "/h/.aws/config",
                                                       configBytes: Array("[profile p]\ncredential_process = other\n".utf8))
        #expect(foreign.config == Array("[profile p]\ncredential_process = other\n".utf8))
    }

    @Test func profileLinesEditCornerCases() {
        // A file without a final newline gains one before the new line.
        #expect(ProfileLinesEdit.settingKey("k", to: "v", inSection: "s", header: "s", in: Array("[s]\na = 1".utf8)) == Array("[s]\na = 1\nk = v\n".utf8))
        // An empty value is replaced with a space after the delimiter.
        #expect(ProfileLinesEdit.settingKey("k", to: "v", inSection: "s", header: "s", in: Array("[s]\nk =\n".utf8)) == Array("[s]\nk = v\n".utf8))
        #expect(ProfileLinesEdit.settingKey("k", to: "v", inSection: "s", header: "s", in: Array("[s]\nk=old  \r\n".utf8)) == Array("[s]\nk=v  \r\n".utf8))
        // Keys of other sections, indented lines and comments are never touched.
        let text = "[a]\nk = 1\n[b]\n  k = 2\n# k = 3\nk = 4\n"
        #expect(ProfileLinesEdit.removingKeys(["k"], inSection: "b", from: Array(text.utf8)) == Array("[a]\nk = 1\n[b]\n  k = 2\n# k = 3\n".utf8))
        #expect(ProfileLinesEdit.settingKey("k", to: "v", inSection: "new", header: "new", in: []) == Array("[new]\nk = v\n".utf8))
    }

    @Test func credentialProcessLines() {
        #expect(VaultReference.commandLine(program: "credctl", profile: "prod") == "credctl vault credential-process --profile prod")
        #expect(VaultReference.commandLine(program: "/opt/my tools/credctl", profile: "it's") == "'/opt/my tools/credctl' vault credential-process --profile 'it'\\''s'")
        for profile in ["prod", "it's", "my team", "a=b"] {
            #expect(VaultReference.profile(inCommandLine: VaultReference.commandLine(program: "/x/credctl", profile: profile)) == profile)
        }
        #expect(VaultReference.profile(inCommandLine: "credctl vault credential-process --profile=p") == "p")
        #expect(VaultReference.profile(inCommandLine: "credctl creds export --format process --profile p") == nil)
        #expect(VaultReference.profile(inCommandLine: "aws-vault exec p --json") == nil)
        #expect(VaultReference.profile(inCommandLine: "notcredctl vault credential-process --profile p") == nil)
    }
}
