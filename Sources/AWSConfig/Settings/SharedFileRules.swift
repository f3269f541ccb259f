import AWSCore

/// What credctl may write into a shared file (`~/.aws/credentials`, `~/.aws/config`): every
/// name and value is checked first, so that nothing written can be read back as something else
/// — a `]` and a newline in a profile name would open a second section, a newline in a value
/// would add a key such as `credential_process`.
public enum SharedFileRules {
    /// The longest profile name credctl writes. No SDK has a limit (botocore none at all); this
    /// one only bounds a runaway template, well above what AWS's own names make (an account
    /// name is at most 50 characters, a permission set 32, an e-mail address 64).
    public static let maximumProfileNameLength = 255

    /// The characters every AWS SDK reads back as the same profile name (the cross-SDK suite's
    /// set: letters, digits and `- / . % @ _ : +`), at most `maximumProfileNameLength` of them.
    public static func profileNameProblem(_ name: String) -> String? {
        let allowed = Set("-/.%@_:+".utf8)
        guard !name.isEmpty, name.utf8.count <= maximumProfileNameLength,
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || allowed.contains($0) }) else {
            return "'\(PrintableText.escaped(String(name.prefix(64))))' is not a profile name credctl writes: "
                + "use 1 to \(maximumProfileNameLength) letters, digits and - / . % @ _ : +"
        }
        return nil
    }

    /// A value on one line, as the parser reads it back: no control character, no space at
    /// either end (it would be trimmed), not empty.
    public static func valueProblem(key: String, value: String) -> String? {
        guard !value.isEmpty else { return "the value of \(key) is empty" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "the value of \(key) contains a line break or control character, which a shared file cannot hold"
        }
        if value.first == " " || value.last == " " || value.first == "\t" || value.last == "\t" {
            return "the value of \(key) starts or ends with a space, which a shared file does not keep"
        }
        return nil
    }
}
