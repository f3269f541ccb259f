/// POSIX-shell-style word splitting (as Python's `shlex.split`): whitespace separates words,
/// single quotes keep everything, double quotes keep everything but `\"` and `\\`, a backslash
/// outside quotes escapes the next character. No expansion of `~` or variables.
public enum ShellWords {
    /// The words, or nil when a quote is left open.
    public static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                guard let end = chars.firstIndex(of: "'") else { return nil }
                current += String(chars[..<end])
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "\\", let next = chars.first, next == "\"" || next == "\\" || next == "$" || next == "`" {
                        current.append(next)
                        chars = chars.dropFirst()
                    } else {
                        current.append(d)
                    }
                }
                if !closed { return nil }
            case "\\":
                inWord = true
                if let next = chars.popFirst() { if next != "\n" { current.append(next) } }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
