import Testing
@testable import Workflows
import AWSCore
import Synchronization

/// The output-layer rules docs/output.md states: progress counts with their rate, the CSV
/// sheet (the first table or checklist), DynamoDB items as a sheet.
struct ProgressCountTests {
    @Test func linesWithCountTotalAndRate() {
        #expect(ProgressCount.line("read", 340, of: nil, "parameters", elapsed: 2) == "read 340 parameters · 170/s")
        #expect(ProgressCount.line("wrote", 12, of: 40, "parameters", elapsed: 1.3) == "wrote 12 of 40 parameters · 9.2/s")
        #expect(ProgressCount.rate(0, 0) == "-/s")
        #expect(ProgressCount.rate(5, 2) == "2.5/s")
    }

    @Test func countsFromManyThreads() {
        let lines = Mutex<[String]>([])
        let count = ProgressCount("listed", "users", total: 100) { line in lines.withLock { $0.append(line) } }
        _ = ConcurrentWork.map(Array(0..<100), width: 8) { _ in count.add() }
        let all = lines.withLock { $0 }
        #expect(all.count == 100)
        #expect(all.contains { $0.hasPrefix("listed 100 of 100 users · ") })
    }
}

struct ReportCSVTests {
    @Test func theChecklistIsTheSheetWhenItComesBeforeATable() {
        let report = Report(parts: [
            (name: nil, section: .record([ReportField("Passed", "", .flag(true))]), visibility: .dataOnly),
            (name: "Checks", section: .checklist([Report.CheckItem("sts", .ok, "fine"), Report.CheckItem("clock", .fail, "off", fix: "sync it")]),
             visibility: .everywhere),
            (name: "Probes", section: .table([Report.Column("Action", "Action")], []), visibility: .dataOnly),
        ])
        #expect(report.render(.csv) == "Check,Status,Detail,Fix\r\nsts,ok,fine,\r\nclock,fail,off,sync it\r\n")
    }

    @Test func aRecordIsFieldValueRowsOfItsJSONMembers() {
        let report = Report.record([ReportField("Name", "Name", .text("a,b")), ReportField("Created", "Created", .date(0)),
                                    ReportField("Note", "Note", .text("people only"), inJSON: false)])
        #expect(report.render(.csv) == "Field,Value\r\nName,\"a,b\"\r\nCreated,1970-01-01T00:00:00Z\r\n")
    }

    @Test func dynamoDBItemsAreASheetOfTheirAttributes() throws {
        let page = try JSONValue.parse(#"{"Items":[{"id":{"S":"1"},"n":{"N":"42"}},{"id":{"S":"2"},"tags":{"SS":["a"]}}],"Count":2}"#)
        let report = DynamoDBReport.page(page)
        #expect(report.render(.csv) == "id,n,tags\r\n\"{\"\"S\"\":\"\"1\"\"}\",\"{\"\"N\"\":\"\"42\"\"}\",\r\n\"{\"\"S\"\":\"\"2\"\"}\",,\"{\"\"SS\"\":[\"\"a\"\"]}\"\r\n")
        #expect(report.json["Count"] == .number(2) && report.json["More"] == .bool(false))
    }
}
