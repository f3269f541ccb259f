import AWSCore

/// The people-facing renderings of a report section: aligned tables and `key<TAB>value` text.
/// Every value goes through `ReportValue.line` or `ReportField.shown`, which escape control
/// characters, so a hostile value cannot rewrite the terminal or break a row in two.
enum ReportText {
    /// `table`: records as `Label  value` lines, tables under upper-case headers.
    static func table(_ section: Report.Section) -> String {
        switch section {
        case .record(let fields):
            let lines = recordLines(fields)
            let width = lines.map(\.label.count).max() ?? 0
            return lines.map { $0.label + String(repeating: " ", count: width - $0.label.count + 2) + $0.value + "\n" }.joined()
        case .table(let columns, let rows):
            let cells = [columns.map { $0.header.uppercased() }] + rows.map { $0.map { $0.line ?? "" } }
            let widths = columns.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
            return cells.map { row in
                row.enumerated().map { c, cell in
                    c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
                }.joined() + "\n"
            }.joined()
        case .lines(let lines):
            return lines.map { PrintableText.escaped($0) + "\n" }.joined()
        case .document(let d):
            return PrintableText.escapedKeepingLines(d.serialized(pretty: true)) + "\n"
        case .checklist(let items):
            let width = items.map(\.name.count).max() ?? 0
            var text = ""
            for c in items {
                let mark: String
                switch c.status {
                case .ok: mark = "[ok]  "
                case .fail: mark = "[FAIL]"
                case .warn: mark = "[warn]"
                case .info: mark = "[-]   "
                }
                text += "\(mark) \(c.name)\(String(repeating: " ", count: width - c.name.count))  \(PrintableText.escaped(c.detail))\n"
                if let fix = c.fix, c.status != .ok {
                    text += "       \(String(repeating: " ", count: width))  fix: \(PrintableText.escaped(fix))\n"
                }
            }
            return text
        case .group(let heading, let children):
            let inner = children.map(table).joined()
            guard let heading else { return inner }
            return PrintableText.escaped(heading) + "\n" + indented(inner)
        }
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.isEmpty ? "\n" : "  \($0)\n" }.joined()
    }

    /// `text`: records as `key<TAB>value` lines, tables as tab-separated rows without a header.
    static func text(_ section: Report.Section) -> String {
        switch section {
        case .record(let fields):
            return textLines(fields).map { "\($0.key)\t\($0.value)\n" }.joined()
        case .table(_, let rows):
            return rows.map { $0.map { $0.line ?? "" }.joined(separator: "\t") + "\n" }.joined()
        case .lines(let lines):
            return lines.map { PrintableText.escaped($0) + "\n" }.joined()
        case .document(let d):
            return PrintableText.escaped(d.serialized()) + "\n"
        case .checklist(let items):
            return items.map { "\($0.status.rawValue)\t\($0.name)\t\(PrintableText.escaped($0.detail))\n" }.joined()
        case .group(let heading, let children):
            return (heading.map { PrintableText.escaped($0) + "\n" } ?? "") + children.map(text).joined()
        }
    }

    /// A record's table lines: each labelled field with a value, a record's labelled fields
    /// after it, a list of records one line each (labelled on the first).
    static func recordLines(_ fields: [ReportField]) -> [(label: String, value: String)] {
        var lines: [(label: String, value: String)] = []
        for field in fields where !field.label.isEmpty {
            switch field.value {
            case .record(let children) where field.display == nil:
                lines += recordLines(children)
            case .record(let children):
                if let shown = field.shown { lines.append((field.label, shown)) }
                lines += recordLines(children)
            case .list(let items) where field.display == nil:
                for (i, item) in items.enumerated() { lines.append((i == 0 ? field.label : "", item.line ?? "")) }
            default:
                if let shown = field.shown { lines.append((field.label, shown)) }
            }
        }
        return lines
    }

    static func textLines(_ fields: [ReportField]) -> [(key: String, value: String)] {
        var lines: [(key: String, value: String)] = []
        for field in fields where !field.label.isEmpty {
            if case .record(let children) = field.value {
                if let shown = field.display.map(PrintableText.escaped) { lines.append((field.textKey, shown)) }
                lines += textLines(children)
            } else if case .list(let items) = field.value, field.display == nil {
                lines += items.compactMap { $0.line.map { (field.textKey, $0) } }
            } else if let shown = field.shown {
                lines.append((field.textKey, shown))
            }
        }
        return lines
    }
}
