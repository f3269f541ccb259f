import Testing
@testable import AWSConfig

struct CredentialsFileEditorTests {
    let original = "# top\r\n[default]\r\naws_access_key_id=AKIAOLD0000000000001\r\naws_secret_access_key :  old/secret+1  \r\n\r\n"
        + "[copy]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = old/secret+1\nregion = eu-west-1\n"
        + "[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = keep\n; no newline at end"

    @Test func replacesOnlyTheTwoValuesInEveryProfileHoldingTheKey() throws {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array(original.utf8))
        #expect(editor.profiles(holding: "AKIAOLD0000000000001") == ["default", "copy"])
        let out = try editor.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "new/secret+2")
        let expected = original.replacing("AKIAOLD0000000000001", with: "AKIANEW0000000000002").replacing("old/secret+1", with: "new/secret+2")
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func refusesWhatItCannotRewriteExactly() throws {
        let continued = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = s\n  more\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 3, reason: "aws_secret_access_key of [a] continues on the next line; put it on one line")) {
            try continued.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
        let noSecret = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\naws_access_key_id = AKIAOLD0000000000001\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 1, reason: "profile [a] has no aws_secret_access_key")) {
            try noSecret.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
        let token = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = s\naws_session_token = t\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 4, reason: "profile [a] holds a session token beside a long-term key; remove the token line")) {
            try token.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
        let inherited = try CredentialsFileEditor(path: "/c", bytes: Array("[DEFAULT]\naws_secret_access_key = s\n[a]\naws_access_key_id = AKIAOLD0000000000001\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 2, reason: "aws_secret_access_key of [a] comes from the [DEFAULT] section; put it in the profile itself")) {
            try inherited.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
        let longName = try CredentialsFileEditor(path: "/c", bytes: Array("[wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY]\naws_access_key_id = AKIAOLD0000000000001\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 1, reason: "profile [wJalrXUtnFEM…] has no aws_secret_access_key")) {
            try longName.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
    }

    @Test func rewritesTheLinesTheParserReadsTheKeysFrom() throws {
        // Indented keys, CR-only line ends, a value with Unicode spaces around it, a comment
        // after the header: each key line is the one the parser names.
        let text = "[a] # main\r  aws_access_key_id = AKIAOLD0000000000001\r  aws_secret_access_key =\u{A0}old\u{3000}\r[b]\raws_access_key_id=AKIAOTHER\r"
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array(text.utf8))
        let out = try editor.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "new")
        #expect(String(decoding: out, as: UTF8.self)
                == "[a] # main\r  aws_access_key_id = AKIANEW0000000000002\r  aws_secret_access_key =\u{A0}new\u{3000}\r[b]\raws_access_key_id=AKIAOTHER\r")
    }

    @Test func theReadBackCheckRefusesAnyOtherChange() throws {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\naws_access_key_id = A\naws_secret_access_key = s\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: nil, reason: "the key lines could not be rewritten in place (unusual indentation?); nothing was changed")) {
            try editor.checkOnlyValuesChanged(Array("[a]\naws_access_key_id = B\naws_secret_access_key = t\nx = 1\n".utf8), in: ["a"],
                                              ["aws_access_key_id": "B", "aws_secret_access_key": "t"])
        }
    }

    @Test func appendsAProfileAfterABlankLine() throws {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\nx = 1".utf8))
        let out = String(decoding: editor.appendingProfile("b", keyId: "AKIAB", secret: "s"), as: UTF8.self)
        #expect(out == "[a]\nx = 1\n\n[b]\naws_access_key_id = AKIAB\naws_secret_access_key = s\n")
        let crOnly = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\rx = 1".utf8))
        #expect(String(decoding: crOnly.appendingProfile("b", keyId: "K", secret: "s"), as: UTF8.self) == "[a]\rx = 1\r\r[b]\raws_access_key_id = K\raws_secret_access_key = s\r")
        let empty = try CredentialsFileEditor(path: "/c", bytes: [])
        #expect(String(decoding: empty.appendingProfile("b", keyId: "K", secret: "s"), as: UTF8.self) == "[b]\naws_access_key_id = K\naws_secret_access_key = s\n")
    }
}
