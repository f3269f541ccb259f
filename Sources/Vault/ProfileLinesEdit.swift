/// Line edits inside one `[section]` of a shared config or credentials file, on its bytes:
/// every byte outside the lines changed (comments, spacing, line ends, other sections) stays
/// as it was. Only top-level `key = value` lines are touched, never indented continuation or
/// sub-section lines. Callers read the result back with the INI parser to prove the change.
public enum ProfileLinesEdit {
    /// The bytes without the lines of `section` whose key is one of `keys` (line ends included).
    public static func removingKeys(_ keys: Set<String>, inSection section: String, from bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inTarget = false
        for line in lines(bytes) {
            if let name = sectionName(of: line.text) { inTarget = name == section }
            if inTarget, let key = key(of: line.text), keys.contains(key) { continue }
            out += bytes[line.range]
        }
        return out
    }

    /// The bytes with `key = value` set in `section`: the value replaced in place when the key
    /// is there (spacing kept), else a line added after the section's last setting, else the
    /// section `[header]` added at the end of the file.
    public static func settingKey(_ key: String, to value: String, inSection section: String, header: String, in bytes: [UInt8]) -> [UInt8] {
        let all = lines(bytes)
        var inTarget = false
        var sectionFound = false
        var insertAfter: Int?
        for (index, line) in all.enumerated() {
            if let name = sectionName(of: line.text) {
                inTarget = name == section
                if inTarget { sectionFound = true; insertAfter = index }
                continue
            }
            guard inTarget else { continue }
            if self.key(of: line.text) == key {
                var out = Array(bytes[..<line.range.lowerBound])
                out += replacingValue(in: line.text, with: value) + Array(bytes[(line.range.lowerBound + line.text.count)...])
                return out
            }
            let trimmed = line.text.drop { $0 == 0x20 || $0 == 0x09 }
            if !trimmed.isEmpty, trimmed.first != UInt8(ascii: "#"), trimmed.first != UInt8(ascii: ";"), trimmed != [0x0D] { insertAfter = index }
        }
        let crlf = all.first?.text.last == 0x0D
        let newLine = Array("\(key) = \(value)".utf8) + (crlf ? [0x0D, 0x0A] : [0x0A])
        if sectionFound, let after = insertAfter {
            let line = all[after]
            var out = Array(bytes[..<line.range.upperBound])
            if line.range.upperBound == bytes.count, bytes.last != 0x0A { out += crlf ? [0x0D, 0x0A] : [0x0A] }
            return out + newLine + Array(bytes[line.range.upperBound...])
        }
        var out = bytes
        if !out.isEmpty {
            if out.last != 0x0A { out += crlf ? [0x0D, 0x0A] : [0x0A] }
            out += crlf ? [0x0D, 0x0A] : [0x0A]
        }
        return out + Array("[\(header)]".utf8) + (crlf ? [0x0D, 0x0A] : [0x0A]) + newLine
    }

    // MARK: Lines

    struct Line {
        /// The line's bytes without its `\n`.
        var text: ArraySlice<UInt8>
        /// The line with its `\n`, in the file.
        var range: Range<Int>
    }

    static func lines(_ bytes: [UInt8]) -> [Line] {
        var out: [Line] = []
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            out.append(Line(text: bytes[start..<end], range: start..<min(end + 1, bytes.count)))
            start = end + 1
        }
        return out
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// `name` for a `[name]` line (spaces inside the brackets trimmed), nil for any other line.
    static func sectionName(of line: ArraySlice<UInt8>) -> String? {
        guard let first = line.firstIndex(where: { !isSpace($0) }), line[first] == UInt8(ascii: "["),
              let last = line.lastIndex(where: { !isSpace($0) && $0 != 0x0D }), line[last] == UInt8(ascii: "]"), last > first else { return nil }
        return trimmed(line[(first + 1)..<last])
    }

    /// The lower-cased key of an unindented `key = value` or `key: value` line; nil for
    /// comments, blank, indented and section lines.
    static func key(of line: ArraySlice<UInt8>) -> String? {
        guard let first = line.first, !isSpace(first), first != UInt8(ascii: "#"), first != UInt8(ascii: ";"), first != UInt8(ascii: "["),
              let delimiter = line.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return nil }
        return trimmed(line[..<delimiter]).lowercased()
    }

    /// The line with its value replaced; the spaces around the delimiter and the line end kept.
    static func replacingValue(in line: ArraySlice<UInt8>, with value: String) -> [UInt8] {
        guard let delimiter = line.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return Array(line) }
        var valueStart = delimiter + 1
        while valueStart < line.endIndex, isSpace(line[valueStart]) { valueStart += 1 }
        var valueEnd = line.endIndex
        while valueEnd > valueStart, isSpace(line[valueEnd - 1]) || line[valueEnd - 1] == 0x0D { valueEnd -= 1 }
        if valueStart == valueEnd, valueStart == delimiter + 1 { return Array(line[..<valueStart]) + Array(" \(value)".utf8) + Array(line[valueEnd...]) }
        return Array(line[..<valueStart]) + Array(value.utf8) + Array(line[valueEnd...])
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var s = bytes
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return String(decoding: s, as: UTF8.self)
    }
}
