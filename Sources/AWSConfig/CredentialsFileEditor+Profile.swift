import AWSCore

extension CredentialsFileEditor {
    /// The file with profile `[name]` holding `values`: in an existing section, each key already
    /// set there gets its new value in place (spacing and line end kept) and the others are
    /// added, in order, after the section's last key; without the section, a new one is
    /// appended. Every other byte stays. Throws, changing nothing, when the section cannot be
    /// edited exactly (a value continued on the next line) or the result does not read back as
    /// the file with just these values set.
    public func settingProfile(_ name: String, values: [(key: String, value: String)]) throws(ConfigFileError) -> [UInt8] {
        guard let section = file.section(name) else { return appendingSection(name, values: values) }
        let own = section.entries.filter { !$0.fromDefaultSection }
        // A value replaced, or the last one (new keys go after it), must be on one line.
        let setKeys = values.map(\.key)
        for entry in own where entry.value.contains("\n") && (setKeys.contains { PythonText.same($0, entry.key) } || entry.line == own.map(\.line).max()) {
            let key = setKeys.contains { PythonText.same($0, entry.key) } ? entry.key : FileExcerpt.of(entry.key)
            throw ConfigFileError(path: path, line: entry.line, reason: "\(key) of [\(name)] continues on the next line; put it on one line")
        }
        var replacements: [Int: String] = [:]
        var added: [(key: String, value: String)] = []
        for (key, value) in values {
            if let entry = own.first(where: { PythonText.same($0.key, key) }) { replacements[entry.line] = value } else { added.append((key, value)) }
        }
        let lines = Self.lines(of: bytes)
        let eol = lines.first { !$0.end.isEmpty }?.end ?? [0x0A]
        let insertAfter = own.map(\.line).max() ?? section.line
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 512)
        for (i, line) in lines.enumerated() {
            out += replacements[i + 1].map { Self.replacingValue(in: line.text, with: $0) } ?? Array(line.text)
            if i + 1 == insertAfter {
                out += line.end.isEmpty ? Array(eol) : Array(line.end)
                for (key, value) in added { out += Array("\(key) = \(value)".utf8) + eol }
            } else {
                out += line.end
            }
        }
        try checkReadsBack(out, name: name, values: values)
        return out
    }

    /// A new `[name]` section at the end, separated by a blank line, in the file's line ends.
    func appendingSection(_ name: String, values: [(key: String, value: String)]) -> [UInt8] {
        let lines = Self.lines(of: bytes)
        let eol = lines.first { !$0.end.isEmpty }?.end ?? [0x0A]
        var out = bytes
        if !out.isEmpty {
            if lines.last?.end.isEmpty ?? false { out += eol }
            out += eol
        }
        for line in ["[\(name)]"] + values.map({ "\($0.key) = \($0.value)" }) { out += Array(line.utf8) + eol }
        return out
    }

    /// `result`, parsed, must be this file with `[name]`'s own values set as asked and nothing else changed.
    func checkReadsBack(_ result: [UInt8], name: String, values: [(key: String, value: String)]) throws(ConfigFileError) {
        func own(_ f: INIFile, _ section: String) -> [String: String] {
            var map: [String: String] = [:]
            for e in f.section(section)?.entries ?? [] where !e.fromDefaultSection { map[e.key] = e.value }
            return map
        }
        let failure = ConfigFileError(path: path, line: nil, reason: "profile [\(FileExcerpt.of(name))] could not be written in place; nothing was changed")
        guard let reread = try? INIFile(parsing: String(decoding: result, as: UTF8.self), path: path) else { throw failure }
        var expected = own(file, name)
        for (key, value) in values { expected[key] = value }
        // Lines after an insertion move: compare what each section says, not where.
        func content(_ entries: [INIFile.Entry]) -> [INIFile.Entry] { entries.map { var e = $0; e.line = 0; return e } }
        let others = { (f: INIFile) in
            f.sections.filter { !PythonText.same($0.name, name) }.map { ($0.name, content($0.entries)) }
        }
        let (a, b) = (others(reread), others(file))
        guard own(reread, name) == expected, a.count == b.count, zip(a, b).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }),
              content(reread.defaults) == content(file.defaults) else { throw failure }
    }
}
