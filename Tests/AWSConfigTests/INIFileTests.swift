import Testing
@testable import AWSConfig
import AWSCore

struct INIFileTests {
    @Test func readsTheRealFormat() throws {
        let text = """
            # comment
            ; another
            [default]
            region=us-east-1
            output : json

            [profile dev]
              aws_access_key_id   =   AKIAEXAMPLE  \r
            s3 =
                max_concurrent_requests = 20
                Addressing_Style = path
            Role_ARN = arn:aws:iam::123456789012:role/x
            note = first
              second line
            [sso-session corp]
            sso_region = us-east-1
            [services local]
            dynamodb =
              endpoint_url = http://localhost:8000
            """
        let ini = try INIFile(parsing: text, path: "/cfg")
        #expect(ini.sections.map(\.name) == ["default", "profile dev", "sso-session corp", "services local"])
        #expect(ini.section("default")?["output"] == "json")
        let dev = try #require(ini.section("profile dev"))
        #expect(dev["aws_access_key_id"] == "AKIAEXAMPLE")
        #expect(dev.entry("aws_access_key_id")?.line == 8)
        // Sub-section keys keep their case, as botocore's `_parse_nested` keeps them.
        #expect(dev.entry("s3")?.subsection == ["max_concurrent_requests": "20", "Addressing_Style": "path"])
        #expect(dev["role_arn"] == "arn:aws:iam::123456789012:role/x")
        #expect(dev["note"] == "first\nsecond line")
    }

    @Test(arguments: [
        ("region = x\n", 1, "'region = x' is outside any [section]"),
        ("[a]\nregion\n", 2, "expected 'key = value', found 'region'"),
        ("[a]\n[a]\n", 2, "section [a] appears twice"),
        ("[a]\nk=1\nK=2\n", 3, "'k' is set twice in [a]"),
        ("[a\n", 1, "'[a' is outside any [section]"),
        ("[a]\n= v\n", 2, "a value without a key"),
        ("[a]\ns3 =\n  addressing_style: path\n", 3, "expected 'key = value' in the sub-section 's3', found 'addressing_s…'"),
        ("[DEFAULT]\nx = 1\n[DEFAULT]\nx = 2\n", 4, "'x' is set twice in [DEFAULT]"),
        ("[a]\n    x = 1\n  y\n", 3, "expected 'key = value', found 'y'"),
        ("\u{FEFF}[a]\n", 1, "'\u{FEFF}[a]' is outside any [section]"),
    ])
    func reportsFileAndLine(text: String, line: Int, reason: String) {
        #expect(throws: ConfigFileError(path: "/f", line: line, reason: reason)) { try INIFile(parsing: text, path: "/f") }
    }

    @Test(arguments: [
        "[a]\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n",
        "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY = x\n[a]\n",
        "aws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n[a]\n",
        "[a]\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY = 1\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY = 2\n",
        "[wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY]\n[wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY]\n",
        "[a]\ns3 =\n  wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n",
        "[a]\rk = v\rwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\r",
        "[wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n",
    ])
    func noMessageQuotesMoreThanTwelveCharactersOfALine(text: String) {
        do {
            _ = try INIFile(parsing: text, path: "/f")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.lowercased().contains("wjalrxutnfemi"), "\(error)")
            #expect(error.description.contains("…"), "\(error)")
        }
    }

    @Test func crOnlyAndMixedLineEndsAreLineEnds() throws {
        let ini = try INIFile(parsing: "[a]\rk = 1\r\n[b]\nk = 2\r\rx = 3", path: "/f")
        #expect(ini.sections.map(\.name) == ["a", "b"])
        #expect(ini.section("b")?.entry("x")?.line == 6)
        #expect(ini.section("b")?["k"] == "2")
    }

    @Test func headersAsConfigparserReadsThem() throws {
        let ini = try INIFile(parsing: "[default] # personal\nk=1\n[dev]; work\n[ prod ]\n[a]b]c\n[]]\n  [indented]\n", path: "/f")
        #expect(ini.sections.map(\.name) == ["default", "dev", " prod ", "a]b", "]", "indented"])
        #expect(ini.section("default")?["k"] == "1")
    }

    @Test func indentation() throws {
        // Keys all indented under a header are keys, and so is a header at their indentation.
        let ini = try INIFile(parsing: "[a]\n  x = 1\n  y = 2\n\n  [profile dev]\n  z = 3\n[b]\nk = v\n\n  more\n", path: "/f")
        #expect(ini.sections.map(\.name) == ["a", "profile dev", "b"])
        #expect(ini.section("a")?["y"] == "2")
        #expect(ini.section("b")?["k"] == "v\n\nmore")
        // A header indented deeper than the key above, even after a blank line, is part of its value.
        let swallowed = try INIFile(parsing: "[a]\nx = 1\n\n  [profile dev]\n  z = 3\n", path: "/f")
        #expect(swallowed.sections.map(\.name) == ["a"])
        #expect(swallowed.section("a")?["x"] == "1\n\n[profile dev]\nz = 3")
    }

    @Test func defaultSectionIsCopiedIntoEverySection() throws {
        let ini = try INIFile(parsing: "[a]\nregion = x\n[DEFAULT]\naws_session_token = T\nregion = d\n[b]\n", path: "/f")
        #expect(ini.sections.map(\.name) == ["a", "b"])
        #expect(ini.section("a")?["region"] == "x")
        #expect(ini.section("a")?.entry("aws_session_token")?.fromDefaultSection == true)
        #expect(ini.section("a")?.entry("aws_session_token")?.line == 4)
        #expect(ini.section("b")?["region"] == "d")
        #expect(ini.defaults.map(\.key) == ["aws_session_token", "region"])
        #expect(ini.defaultSectionLines == [3])
    }

    @Test func valuesAndKeysAsPythonStripsAndLowersThem() throws {
        let ini = try INIFile(parsing: "[a]\n\u{3000}z\u{2003}=\u{2003}1\nempty =\n\u{C4}WS_\u{39A}\u{395}\u{3A5}\u{3A3} = v\u{A0}\nk = a ; b # c\n", path: "/f")
        let a = try #require(ini.section("a"))
        #expect(a["empty"] == "")
        #expect(a["\u{E4}ws_\u{3BA}\u{3B5}\u{3C5}\u{3C2}"] == "v")     // final sigma, as str.lower()
        #expect(a["k"] == "a ; b # c")         // no inline comments
        #expect(a["z"] == "1")
    }

    @Test func subSectionsSplitOnEveryPythonLineBreak() throws {
        let ini = try INIFile(parsing: "[a]\ns3 =\n  x = 1\u{0B}y = 2\n  = nameless\n  x = 3\n", path: "/f")
        #expect(ini.section("a")?.entry("s3")?.subsection == ["x": "3", "y": "2", "": "nameless"])
    }
}

struct ShellWordsTests {
    @Test func splitsAsPythonShlex() {
        #expect(ShellWords.split(#"a 'b c' "d \"e\"" f\ g"#) == ["a", "b c", "d \"e\"", "f g"])
        #expect(ShellWords.split("'open") == nil)
        #expect(ShellWords.split("trailing\\") == nil)
        #expect(ShellWords.split("  ") == [])
        #expect(ShellWords.split("profile ''") == ["profile", ""])
        #expect(ShellWords.split(#"x "a\$b" "c\d""#) == ["x", "a\\$b", "c\\d"])
        #expect(ShellWords.split("a\u{A0}b\tc") == ["a\u{A0}b", "c"])
    }
}
