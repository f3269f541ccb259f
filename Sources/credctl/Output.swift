import AWSCore

/// Renders a flat record in the three output formats: `table` aligns `Label  value` lines for
/// people, `text` prints `key<TAB>value` lines for `cut`/`awk`, `json` prints pretty JSON.
struct RecordOutput {
    /// (key for text and JSON, label for the table, value)
    var fields: [(key: String, label: String, value: String?)]
    /// The JSON document, when it is richer than the flat fields.
    var json: JSONValue

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return json.serialized(pretty: true) + "\n"
        case .csv:
            return CSV.line(["key", "value"]) + fields.compactMap { f in f.value.map { CSV.line([f.key, $0]) } }.joined()
        case .text:
            return fields.compactMap { f in f.value.map { "\(f.key)\t\($0)" } }.joined(separator: "\n") + "\n"
        case .table:
            let shown = fields.filter { $0.value != nil }
            let width = shown.map(\.label.count).max() ?? 0
            return shown.map { f in
                f.label + String(repeating: " ", count: width - f.label.count + 2) + f.value!
            }.joined(separator: "\n") + "\n"
        }
    }
}

/// Renders rows in the three output formats: `table` aligns columns under a header, `text`
/// prints tab-separated rows without one, `json` prints the given document.
struct RowsOutput {
    var columns: [String]
    var rows: [[String]]
    var json: JSONValue

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return json.serialized(pretty: true) + "\n"
        case .csv:
            return CSV.line(columns) + rows.map(CSV.line).joined()
        case .text:
            return rows.map { $0.map(Self.oneLine).joined(separator: "\t") + "\n" }.joined()
        case .table:
            let all = [columns] + rows.map { $0.map(Self.oneLine) }
            let widths = columns.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { c, cell in
                    c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
                }.joined() + "\n"
            }.joined()
        }
    }

    /// Control characters written as `\n`, `\t`, `\r` or `\u{…}`, so that one row stays one line.
    static func oneLine(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F { out += "\\u{\(String(c.value, radix: 16))}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
