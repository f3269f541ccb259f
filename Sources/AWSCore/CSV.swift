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
    /// spreadsheet would run as a formula gets a leading `'` (OWASP's list: `=`, `+`, `-`, `@`,
    /// TAB and CR first, and LF); a control character, the line and paragraph separators and the
    /// bidirectional controls are written as `PrintableText` writes them (`\u{1b}`, `\r`), except the
    /// line breaks (LF, CRLF) and TAB a cell may hold.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    /// The characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n"]

    static func quoted(_ field: String) -> String {
        var f = neutralised(field)
        if let first = f.unicodeScalars.first, formulaStarts.contains(first) { f = "'" + f }
        guard f.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
        return "\"" + f.replacing("\"", with: "\"\"") + "\""
    }

    /// `field` with every character a terminal or a spreadsheet would act on escaped, but the
    /// line breaks and tabs a cell may hold.
    static func neutralised(_ field: String) -> String {
        let scalars = Array(field.unicodeScalars)
        guard scalars.contains(where: PrintableText.needsEscape) else { return field }
        var out = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() {
            let kept = c == "\n" || c == "\t" || (c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n")
            if kept || !PrintableText.needsEscape(c) { out.append(c) } else { out.append(contentsOf: PrintableText.escaped(String(c)).unicodeScalars) }
        }
        return String(out)
    }
}
