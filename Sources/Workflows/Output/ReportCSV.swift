import AWSCore

/// `--output csv`: a report's main table for a spreadsheet. The first table (or checklist) among
/// the sections CSV shows is the sheet (one header row of JSON member names, then one row per
/// item); a report without one gives its first record as `Field,Value` rows. Cells hold values
/// exactly as JSON does (not escaped for a terminal: CSV quoting keeps line breaks inside their cell).
enum ReportCSV {
    static func csv(_ sections: [Report.Section]) -> String {
        for section in sections {
            switch section {
            case .table(let columns, let rows):
                return CSV.line(columns.map(\.name)) + rows.map { CSV.line($0.map(cell)) }.joined()
            case .checklist(let items):
                return CSV.line(["Check", "Status", "Detail", "Fix"])
                    + items.map { CSV.line([$0.name, $0.status.rawValue, $0.detail, $0.fix ?? ""]) }.joined()
            default:
                continue
            }
        }
        for section in sections {
            switch section {
            case .record(let fields):
                return CSV.line(["Field", "Value"]) + fields.filter(\.inJSON).map { CSV.line([$0.name, cell($0.value)]) }.joined()
            case .lines(let lines):
                return CSV.line(["Line"]) + lines.map { CSV.line([$0]) }.joined()
            case .document(let d):
                return CSV.line(["Document"]) + CSV.line([d.serialized()])
            case .table, .checklist, .group:
                continue
            }
        }
        return ""
    }

    /// A value as one cell: text as it is, dates in ISO 8601, lists joined by `;`, nested
    /// records and documents as compact JSON, null empty.
    static func cell(_ value: ReportValue) -> String {
        switch value {
        case .text(let s): return s
        case .number(let n), .days(let n): return String(n)
        case .flag(let b): return b ? "true" : "false"
        case .date(let t): return Timestamp.format(t)
        case .list(let items): return items.map(cell).joined(separator: ";")
        case .record, .document: return value.json.serialized()
        case .null: return ""
        }
    }
}
