/// Help texts as the source holds them — hard-wrapped, to be read there — made into what the
/// argument parser wraps once, at the terminal's width: the lines of a prose paragraph are joined
/// into one; examples, tables and anything indented keep their own lines.
enum HelpText {
    static func reflowed(_ text: String) -> String {
        var lines: [String] = []
        var joinable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.allSatisfy({ $0 == " " }) {
                lines.append("")
                joinable = false
            } else if isVerbatim(line, afterProse: joinable) {
                lines.append(line)
                joinable = false
            } else if joinable, let last = lines.popLast() {
                lines.append(last + " " + line)
            } else {
                lines.append(line)
                joinable = true
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A line that must stay a line: indented (tables, continued examples, file excerpts), a
    /// heading such as `EXIT CODES:`, or a command as it would be typed — unless it continues a
    /// sentence (prose may wrap before the word `credctl`).
    static func isVerbatim(_ line: String, afterProse: Bool) -> Bool {
        if line.first == " " || line.first == "\t" { return true }
        if line.allSatisfy({ $0.isUppercase || $0 == " " || $0 == ":" }) { return true }
        if afterProse { return false }
        if ["credctl ", "printf ", "eval ", "aws ", "$ "].contains(where: { line.hasPrefix($0) }) { return true }
        if let equals = line.firstIndex(of: "="), line[line.index(after: equals)...].hasPrefix("$(") { return true }
        return false
    }
}
