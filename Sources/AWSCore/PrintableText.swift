/// Text that came from a service, a file or the environment, made safe to show on a terminal:
/// control characters (C0, DEL, C1 — ESC and CSI among them), the Unicode line and paragraph
/// separators and the bidirectional overrides are written as escapes (`\n`, `\t`, `\r`,
/// `\u{1b}`), so a hostile value can neither rewrite the terminal nor break a line in two.
/// Table and text output, error messages and `--debug` use it; JSON output and the commands
/// whose job is printing a value (`params get`, `secrets get`) print values exactly.
public enum PrintableText {
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if needsEscape(c) { out += "\\u{\(String(c.value, radix: 16))}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// The same for text of several lines (a pretty document): each line escaped, the line
    /// breaks kept.
    public static func escapedKeepingLines(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    static func needsEscape(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
