import Testing
@testable import AWSCore

struct CSVTests {
    @Test func readsQuotedFieldsAndBothLineEndings() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n"
        #expect(CSV.parse(text) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(CSV.parse("no,final,newline") == [["no", "final", "newline"]])
        #expect(CSV.parse("") == [])
        #expect(CSV.parse("ü,\"é\"\n") == [["ü", "é"]])
    }

    @Test func writesWhatItReads() {
        let rows = [["plain", "with,comma", "with \"quote\"", "line\r\nbreak", ""], ["ünï", "x", "y", "z", "w"]]
        #expect(CSV.parse(rows.map(CSV.line).joined()) == rows)
        #expect(CSV.line(["a", "b c"]) == "a,b c\r\n")
    }

    @Test func neutralisesSpreadsheetFormulas() {
        // A user named =HYPERLINK(…) must not run as a formula when the CSV is opened.
        #expect(CSV.line(["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "ok"])
                == "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),ok\r\n")
    }

    @Test func neutralisesEveryFormulaStartOnOWASPsList() {
        // OWASP's CSV injection list: = + - @ TAB CR (and LF, which some spreadsheets skip).
        for start in ["=", "+", "-", "@", "\t", "\r\n", "\n"] {
            let cell = start + "cmd|' /C calc'!A0"
            let written = CSV.line([cell])
            let read = CSV.parse(written)
            #expect(read == [["'" + cell]], "\(start.debugDescription): \(written.debugDescription)")
        }
        // A formula character after the first is text already.
        #expect(CSV.line(["a=1", "x-y"]) == "a=1,x-y\r\n")
    }

    @Test func escapesTerminalAndBidiControlsButKeepsLineBreaksAndTabs() {
        let hostile = "ok\u{1b}[2J\u{7}\u{202e}gpj.exe\u{2066}\u{2028}\u{85}\u{7f}\u{0}"
        #expect(CSV.line([hostile]) == "ok\\u{1b}[2J\\u{7}\\u{202e}gpj.exe\\u{2066}\\u{2028}\\u{85}\\u{7f}\\u{0}\r\n")
        // A lone CR (which would move a terminal's cursor) is escaped; CRLF, LF and TAB are kept.
        #expect(CSV.parse(CSV.line(["a\rb", "c\r\nd", "e\nf", "g\th"])) == [["a\\rb", "c\r\nd", "e\nf", "g\th"]])
        // A leading escape is written escaped, so it cannot start a formula either.
        #expect(CSV.line(["\u{1b}=1"]) == "\\u{1b}=1\r\n")
    }
}
