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
}
