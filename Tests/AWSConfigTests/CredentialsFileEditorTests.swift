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
        // An indented key line right after the header is a key to the parser but not to a
        // line-by-line rewrite: the read-back check catches the difference.
        let indented = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\n  aws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = s\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: nil, reason: "the key lines could not be rewritten in place (unusual indentation?); nothing was changed")) {
            try indented.replacingKey("AKIAOLD0000000000001", with: "AKIANEW0000000000002", secret: "n")
        }
    }

    @Test func appendsAProfileAfterABlankLine() throws {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array("[a]\nx = 1".utf8))
        let out = String(decoding: editor.appendingProfile("b", keyId: "AKIAB", secret: "s"), as: UTF8.self)
        #expect(out == "[a]\nx = 1\n\n[b]\naws_access_key_id = AKIAB\naws_secret_access_key = s\n")
        let empty = try CredentialsFileEditor(path: "/c", bytes: [])
        #expect(String(decoding: empty.appendingProfile("b", keyId: "K", secret: "s"), as: UTF8.self) == "[b]\naws_access_key_id = K\naws_secret_access_key = s\n")
    }
}
