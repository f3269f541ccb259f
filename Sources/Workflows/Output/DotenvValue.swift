/// A value written into a `.env` file so that python-dotenv reads it back exactly, or why no
/// quoting can (`params export --format dotenv`, `creds export --format dotenv`).
///
/// Values go in double quotes with `\\`, `\"` and the line ends and tab escaped (so a CR survives
/// a file read in text mode); everything else as it is. Two things no quoting carries:
/// - `${`, which python-dotenv expands inside any quotes;
/// - a backslash just before the closing quote: python-dotenv's pattern for a quoted value takes
///   `\"` there for an escaped quote and runs on into the next lines. A value ending in a
///   backslash (`C:\dir\`) is therefore written bare, which python-dotenv keeps as it is, when it
///   is one plain word (printable ASCII, no space, not starting with a quote); otherwise refused.
public enum DotenvValue {
    /// Why `value` cannot be written, completing "the value of NAME …", or nil when it can.
    public static func problem(_ value: String) -> String? {
        if value.contains("${") {
            return "contains '${', which python-dotenv and docker compose expand in any .env quoting"
        }
        if value.hasSuffix("\\") && !isPlainWord(value) {
            return "ends with a backslash and is not one plain word, which python-dotenv cannot read back from any .env quoting"
        }
        return nil
    }

    /// `value` as written after `NAME=`; call `problem` first.
    public static func written(_ value: String) -> String {
        value.hasSuffix("\\") ? value : doubleQuoted(value)
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Printable ASCII without spaces, not starting with a quote: python-dotenv reads such a bare
    /// value unchanged (no escapes, no comment, nothing stripped).
    static func isPlainWord(_ s: String) -> Bool {
        guard let first = s.utf8.first, first != UInt8(ascii: "'"), first != UInt8(ascii: "\"") else { return false }
        return s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
