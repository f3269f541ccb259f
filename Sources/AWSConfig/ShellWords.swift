/// Word splitting exactly as Python's `shlex.split` (POSIX mode, no comments), which botocore
/// uses for `[profile NAME]` section names and for `credential_process`: space, tab, CR and LF
/// separate words; single quotes keep everything; inside double quotes a backslash escapes
/// only `"` and `\` (before anything else it stays); outside quotes a backslash keeps the next
/// character, whatever it is. No expansion of `~` or variables.
public enum ShellWords {
    /// The words, or nil where `shlex.split` raises (a quote left open, a backslash at the end).
    public static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var token = ""
        var inWord = false
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        func endWord() {
            if !token.isEmpty || quoted { words.append(token) }
            token = ""
            inWord = false
            quoted = false
        }
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t", "\r", "\n":
                if inWord { endWord() }
            case "'":
                inWord = true
                quoted = true
                guard let end = chars.firstIndex(of: "'") else { return nil }
                token.unicodeScalars.append(contentsOf: chars[..<end])
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                quoted = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "\\" {
                        guard let next = chars.popFirst() else { return nil }
                        if next != "\"" && next != "\\" { token.unicodeScalars.append("\\") }
                        token.unicodeScalars.append(next)
                    } else {
                        token.unicodeScalars.append(d)
                    }
                }
                if !closed { return nil }
            case "\\":
                inWord = true
                guard let next = chars.popFirst() else { return nil }
                token.unicodeScalars.append(next)
            default:
                inWord = true
                token.unicodeScalars.append(c)
            }
        }
        if inWord { endWord() }
        return words
    }
}
