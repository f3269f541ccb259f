/// One line of a shared file as Python 3.11's `configparser.RawConfigParser._read` sees it
/// (the parser botocore uses), classified but not yet checked: the parser turns lines into
/// sections and refuses what configparser refuses; the notes use the same lines to say where
/// other SDKs read a file differently.
struct INILine: Sendable {
    enum Kind: Sendable {
        /// Nothing but whitespace.
        case blank
        /// `#` or `;` first (after any whitespace): the whole line is a comment.
        case comment
        /// `[NAME]…`: NAME runs to the last `]`, spaces kept; `trailing` is what follows it.
        case header(name: String, trailing: String)
        /// `key = value` or `key: value`, split at the first `=` or `:`; `rawValue` is all
        /// that follows the delimiter, unstripped.
        case option(key: String, rawKey: String, value: String, rawValue: String, delimiter: Unicode.Scalar)
        /// A line indented deeper than the option above: part of its value.
        case continuation(String)
        /// A line before any section header (configparser's MissingSectionHeaderError).
        case outsideSection(String)
        /// A line with neither `=` nor `:` (configparser's ParsingError).
        case noDelimiter(String)
    }

    var number: Int
    /// Leading whitespace characters (a tab counts one).
    var indent: Int
    var kind: Kind
    /// For a blank line: it lies inside a value, which gains an empty line.
    var insideValue: Bool
}

enum INIScanner {
    /// The lines of `text`, classified with configparser's state: a line is a continuation
    /// when an option is open in a section and the line is indented deeper than the line that
    /// opened the last option or header; blank and comment lines leave that state alone.
    static func lines(of text: String) -> [INILine] {
        var out: [INILine] = []
        var inSection = false
        var optionOpen = false
        var indentLevel = 0
        for (i, raw) in PythonText.universalLines(text).enumerated() {
            let number = i + 1
            let stripped = PythonText.strip(raw)
            let indent = raw.distance(from: raw.startIndex, to: raw.firstIndex(where: { !PythonText.isSpace($0) }) ?? raw.startIndex)
            if let first = stripped.first, first == "#" || first == ";" {
                out.append(INILine(number: number, indent: indent, kind: .comment, insideValue: false))
                continue
            }
            if stripped.isEmpty {
                out.append(INILine(number: number, indent: 0, kind: .blank, insideValue: inSection && optionOpen))
                continue
            }
            let text = PythonText.string(stripped)
            if inSection, optionOpen, indent > indentLevel {
                out.append(INILine(number: number, indent: indent, kind: .continuation(text), insideValue: false))
                continue
            }
            indentLevel = indent
            let kind: INILine.Kind
            if let header = header(stripped) {
                kind = header
                inSection = true
                optionOpen = false
            } else if !inSection {
                kind = .outsideSection(text)
            } else if let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) {
                let rawKey = PythonText.string(PythonText.rstrip(stripped[..<delimiter]))
                let rest = stripped[(delimiter + 1)...]
                kind = .option(key: PythonText.lower(rawKey), rawKey: rawKey, value: PythonText.string(PythonText.strip(rest)),
                               rawValue: PythonText.string(rest), delimiter: stripped[delimiter])
                // configparser tests the option's name for truth: an empty one opens nothing.
                optionOpen = !rawKey.isEmpty
            } else {
                kind = .noDelimiter(text)
            }
            out.append(INILine(number: number, indent: indent, kind: kind, insideValue: false))
        }
        return out
    }

    /// configparser's SECTCRE, `\[(?P<header>.+)\]`, matched at the start: the name runs to
    /// the last `]` and holds at least one character.
    static func header(_ stripped: PythonText.Scalars) -> INILine.Kind? {
        guard stripped.first == "[", let close = stripped.lastIndex(of: "]"),
              close - stripped.startIndex >= 2 else { return nil }
        return .header(name: PythonText.string(stripped[(stripped.startIndex + 1)..<close]),
                       trailing: PythonText.string(stripped[(close + 1)...]))
    }
}
