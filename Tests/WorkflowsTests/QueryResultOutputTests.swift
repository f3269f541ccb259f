import AWSCore
import Testing
@testable import Workflows

/// `--query` results in text (expected strings from awscli.text.format_text on the same JSON)
/// and in table form.
struct QueryResultOutputTests {
    func text(_ json: String) throws -> String { QueryResultText.render(try JSONValue.parse(json)) }

    @Test func textAsTheAWSCLIPrintsIt() throws {
        #expect(try text(#"{"Users": [{"Name": "a", "Age": 3, "Tags": [{"Key": "k", "Value": "v"}]}, {"Name": "b", "Admin": true}], "Count": 2, "Next": null}"#)
                == "2\tNone\nUSERS\t\t3\ta\nTAGS\tk\tv\nUSERS\tTrue\t\tb\n")
        #expect(try text(#"[1, "x", true, null]"#) == "1\tx\tTrue\tNone\n")
        #expect(try text(#"[[1, 2], [3], "s"]"#) == "s\n1\t2\n3\n")
        #expect(try text(#""plain""#) == "plain\n")
        #expect(try text(#"{"b": 1, "a": {"c": [1, 2]}}"#) == "1\nC\t1\nC\t2\n")
        #expect(try text("[]") == "")
    }

    @Test func textEscapesControlCharactersAndKeepsNumbersExact() throws {
        #expect(try text(#"["a\tb", 1.50, 12345678901234567890]"#) == "a\\tb\t1.50\t12345678901234567890\n")
    }

    @Test func tableShowsRecordsRowsAndScalars() throws {
        #expect(QueryResultTable.render(try JSONValue.parse(#"[{"Name": "a", "Age": 3}, {"Name": "bb", "On": true}]"#))
                == "NAME  AGE  ON\na     3    \nbb         yes\n")   // as every credctl table: cells padded but the last
        #expect(QueryResultTable.render(try JSONValue.parse(#"{"Account": "123", "Arn": null}"#)) == "Account  123\n")
        #expect(QueryResultTable.render(try JSONValue.parse(#"["x", null]"#)) == "x\nNone\n")
    }
}
