import Testing
@testable import AWSConfig

/// `settingProfile`: replace-or-append of one profile's keys, every other byte kept.
struct CredentialsFileEditorProfileTests {
    let values: [(key: String, value: String)] = [("aws_access_key_id", "ASIANEW"), ("aws_secret_access_key", "new/secret"),
                                                  ("aws_session_token", "tok=="), ("x_security_token_expires", "2030-01-01T00:00:00Z")]

    func edit(_ text: String, _ name: String = "tmp") throws -> String {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array(text.utf8))
        return String(decoding: try editor.settingProfile(name, values: values), as: UTF8.self)
    }

    @Test func appendsANewSectionInTheFilesLineEnds() throws {
        #expect(try edit("") == "[tmp]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret\naws_session_token = tok==\n"
                    + "x_security_token_expires = 2030-01-01T00:00:00Z\n")
        #expect(try edit("# c\r\n[a]\r\nregion = x") == "# c\r\n[a]\r\nregion = x\r\n\r\n[tmp]\r\naws_access_key_id = ASIANEW\r\n"
                    + "aws_secret_access_key = new/secret\r\naws_session_token = tok==\r\nx_security_token_expires = 2030-01-01T00:00:00Z\r\n")
    }

    @Test func replacesValuesInPlaceAndAddsTheMissingKeysAfterTheLastOne() throws {
        let text = "[tmp]\naws_access_key_id=ASIAOLD   \n# note\naws_session_token :  old  \nregion = eu-west-1\n\n# next\n[b]\nregion = x\n"
        #expect(try edit(text) == "[tmp]\naws_access_key_id=ASIANEW   \n# note\naws_session_token :  tok==  \nregion = eu-west-1\n"
                    + "aws_secret_access_key = new/secret\nx_security_token_expires = 2030-01-01T00:00:00Z\n\n# next\n[b]\nregion = x\n")
        // A section with no key at all gets them right after its header; a last line without its line end gets one.
        #expect(try edit("[a]\nk = v\n[tmp]") == "[a]\nk = v\n[tmp]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret\n"
                    + "aws_session_token = tok==\nx_security_token_expires = 2030-01-01T00:00:00Z\n")
    }

    @Test func aKeyInheritedFromDEFAULTIsSetInTheProfileItself() throws {
        let text = "[DEFAULT]\naws_session_token = inherited\n[tmp]\nregion = x\n"
        let out = try edit(text)
        #expect(out.hasPrefix("[DEFAULT]\naws_session_token = inherited\n[tmp]\nregion = x\naws_access_key_id = ASIANEW\n"))
        let reread = try INIFile(parsing: out, path: "/c")
        #expect(reread.section("tmp")?["aws_session_token"] == "tok==")
        #expect(reread.defaults.map(\.value) == ["inherited"])
    }

    @Test func refusesAValueContinuedOnTheNextLine() throws {
        let editor = try CredentialsFileEditor(path: "/c", bytes: Array("[tmp]\naws_session_token = a\n  b\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 2, reason: "aws_session_token of [tmp] continues on the next line; put it on one line")) {
            try editor.settingProfile("tmp", values: values)
        }
    }
}

extension CredentialsFileEditorProfileTests {
    @Test func aContinuedValueElsewhereInTheSectionIsKept() throws {
        let text = "[tmp]\nnote = one\n  two\nregion = x\n"
        #expect(try edit(text) == text + "aws_access_key_id = ASIANEW\naws_secret_access_key = new/secret\naws_session_token = tok==\n"
                    + "x_security_token_expires = 2030-01-01T00:00:00Z\n")
        let last = try CredentialsFileEditor(path: "/c", bytes: Array("[tmp]\nnote = one\n  two\n".utf8))
        #expect(throws: ConfigFileError(path: "/c", line: 2, reason: "note of [tmp] continues on the next line; put it on one line")) {
            try last.settingProfile("tmp", values: values)
        }
    }
}
