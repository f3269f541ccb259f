/// The few pieces of Python 3.11's `str` that botocore's reading of the shared files depends
/// on, on Unicode scalars (never on Swift `Character`s: `"\r\n"` is one `Character`, and
/// Swift compares strings by canonical equivalence where Python compares code points).
enum PythonText {
    typealias Scalars = ArraySlice<Unicode.Scalar>

    /// `str.isspace()`, which is also what `str.strip()` removes and what `\s` matches in `re`.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Where `str.splitlines()` breaks a line (`"\r\n"` counts once).
    static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    static func strip(_ s: Scalars) -> Scalars { rstrip(lstrip(s)) }

    static func lstrip(_ s: Scalars) -> Scalars {
        guard let first = s.firstIndex(where: { !isSpace($0) }) else { return s[s.endIndex...] }
        return s[first...]
    }

    static func rstrip(_ s: Scalars) -> Scalars {
        guard let last = s.lastIndex(where: { !isSpace($0) }) else { return s[s.startIndex..<s.startIndex] }
        return s[...last]
    }

    static func string(_ s: Scalars) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: s)
        return out
    }

    static func scalars(_ s: String) -> Scalars { Array(s.unicodeScalars)[...] }

    /// `str.lower()`: Unicode's full lower-case mapping with the final-sigma rule, limited to
    /// the characters of Unicode 14.0 (Python 3.11's version; newer characters keep their case).
    static func lower(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = ""
        for (i, c) in s.enumerated() {
            if c.value == 0x03A3 {
                out.unicodeScalars.append(isFinalSigma(s, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else if let age = c.properties.age, age.major > 14 {
                out.unicodeScalars.append(c)
            } else {
                out += c.properties.lowercaseMapping
            }
        }
        return out
    }

    /// CPython's `handle_capital_sigma`: a cased letter (case-ignorables skipped) before, and
    /// none after.
    private static func isFinalSigma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count, s[k].properties.isCaseIgnorable { k += 1 }
        return k == s.count || !s[k].properties.isCased
    }

    /// The lines of a file read in Python's text mode with universal newlines: `\r\n`, `\r`
    /// and `\n` each end a line; no empty line follows a final line end.
    static func universalLines(_ text: String) -> [Scalars] {
        let s = Array(text.unicodeScalars)
        var lines: [Scalars] = []
        var start = 0
        var i = 0
        while i < s.count {
            if s[i] == "\n" || s[i] == "\r" {
                lines.append(s[start..<i])
                if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < s.count { lines.append(s[start..<s.count]) }
        return lines
    }

    /// `str.splitlines()`.
    static func splitLines(_ s: Scalars) -> [Scalars] {
        var lines: [Scalars] = []
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            if isLineBreak(s[i]) {
                lines.append(s[start..<i])
                if s[i] == "\r", i + 1 < s.endIndex, s[i + 1] == "\n" { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < s.endIndex { lines.append(s[start..<s.endIndex]) }
        return lines
    }

    /// Code-point equality, as Python compares strings (Swift's `==` would also match
    /// canonically equivalent spellings such as `é` and `e` + combining acute).
    static func same(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }
}

/// A string compared and hashed by its code points, for sets and dictionaries of names read
/// from the files.
struct ExactText: Hashable, Sendable {
    let bytes: [UInt8]
    init(_ s: String) { bytes = Array(s.utf8) }
}

/// How a piece of file text appears in a message: at most 12 characters, so that a secret on
/// a malformed line (or a secret mistaken for a name) never reaches an error or a warning.
public enum FileExcerpt {
    public static let limit = 12

    public static func of(_ text: String) -> String {
        let s = text.unicodeScalars
        guard s.count > limit else { return text }
        var out = ""
        out.unicodeScalars.append(contentsOf: s.prefix(limit))
        return out + "…"
    }

    /// A section name: a known prefix (`profile `, `sso-session `, `services `) in full, the
    /// rest cut like any other text.
    public static func ofSection(_ name: String) -> String {
        for prefix in ["profile ", "sso-session ", "services "] where name.unicodeScalars.starts(with: prefix.unicodeScalars) {
            return prefix + of(String(name.unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
        }
        return of(name)
    }
}
