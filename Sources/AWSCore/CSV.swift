/// Comma-separated values as RFC 4180 writes them: fields quoted when they hold a comma, a
/// quote or a line break, quotes doubled inside; lines end with CRLF or LF.
public enum CSV {
    /// The rows of `text`; a trailing line break does not make an empty row.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var bytes = Array(text.utf8).makeIterator()
        var pending: UInt8? = bytes.next()
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while let b = pending {
            pending = bytes.next()
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if pending == UInt8(ascii: "\"") { field.append(b); pending = bytes.next() } else { quoted = false }
                } else {
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\r") where pending == UInt8(ascii: "\n"): continue
            case UInt8(ascii: "\n"):
                endField()
                rows.append(row)
                row = []
            default: field.append(b)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }

    /// One line of fields and its CRLF, each field quoted when it needs to be. A field a
    /// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@".contains(first) { f = "'" + f }
        guard f.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
        return "\"" + f.replacing("\"", with: "\"\"") + "\""
    }
}
