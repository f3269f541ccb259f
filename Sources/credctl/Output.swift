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
