import AWSCore

/// Edits the shared credentials file the way a careful person would by hand: only the value of
/// `aws_access_key_id` and `aws_secret_access_key` in the profiles concerned changes; every
/// other byte (comments, order, spacing, line ends, other profiles) stays as it was.
public struct CredentialsFileEditor: Sendable {
    public let path: String
    public let bytes: [UInt8]
    /// The parsed file, checked by the same rules the credential chain reads it with.
    public let file: INIFile

    /// A missing file is an empty one.
    public init(path: String, bytes: [UInt8]) throws(ConfigFileError) {
        self.path = path
        self.bytes = bytes
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigFileError(path: path, line: nil, reason: "not valid UTF-8")
        }
        file = try INIFile(parsing: text, path: path)
    }

    public static func load(path: String) throws(ConfigFileError) -> CredentialsFileEditor {
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path) } catch { throw ConfigFileError(path: path, line: nil, reason: error.reason) }
        return try CredentialsFileEditor(path: path, bytes: bytes ?? [])
    }

    /// The profiles whose `aws_access_key_id` is `keyId`, in file order.
    public func profiles(holding keyId: String) -> [String] {
        file.sections.filter { $0["aws_access_key_id"].map { PythonText.same($0, keyId) } ?? false }.map(\.name)
    }

    /// The file with `oldKeyId` replaced by `newKeyId` and its secret by `newSecret` in every
    /// profile that held it (of `only`, when given). Throws, changing nothing, when a profile cannot be rewritten
    /// exactly (a value continued on the next line, a key inherited from `[DEFAULT]`, a
    /// missing secret, a session token beside a long-term key).
    public func replacingKey(_ oldKeyId: String, with newKeyId: String, secret newSecret: String,
                             inProfiles only: Set<String>? = nil) throws(ConfigFileError) -> [UInt8] {
        let names = Set(profiles(holding: oldKeyId)).intersection(only ?? Set(profiles(holding: oldKeyId)))
        try checkRewritable(names)
        let values = ["aws_access_key_id": newKeyId, "aws_secret_access_key": newSecret]
        let result = rewritten(sections: names, values: values)
        try checkOnlyValuesChanged(result, in: names, values)
        return result
    }

    /// Reads `result` back and checks that it differs from the file in exactly the values asked for.
    func checkOnlyValuesChanged(_ result: [UInt8], in names: Set<String>, _ values: [String: String]) throws(ConfigFileError) {
        var expected = file.sections
        for s in expected.indices where names.contains(expected[s].name) {
            for e in expected[s].entries.indices { if let v = values[expected[s].entries[e].key] { expected[s].entries[e].value = v } }
        }
        let reread = try? INIFile(parsing: String(decoding: result, as: UTF8.self), path: path)
        guard reread?.sections == expected else {
            throw ConfigFileError(path: path, line: nil, reason: "the key lines could not be rewritten in place (unusual indentation?); nothing was changed")
        }
    }

    /// Checks that every profile in `names` holds a key id and a secret, each on one line of
    /// its own in the profile itself.
    public func checkRewritable(_ names: Set<String>) throws(ConfigFileError) {
        for section in file.sections where names.contains(section.name) {
            let name = FileExcerpt.of(section.name)
            for key in ["aws_access_key_id", "aws_secret_access_key"] {
                guard let entry = section.entry(key) else {
                    throw ConfigFileError(path: path, line: section.line, reason: "profile [\(name)] has no \(key)")
                }
                guard !entry.fromDefaultSection else {
                    throw ConfigFileError(path: path, line: entry.line, reason: "\(key) of [\(name)] comes from the [DEFAULT] section; put it in the profile itself")
                }
                guard !entry.value.contains("\n") else {
                    throw ConfigFileError(path: path, line: entry.line, reason: "\(key) of [\(name)] continues on the next line; put it on one line")
                }
            }
            if let token = section.entry("aws_session_token") ?? section.entry("aws_security_token") {
                throw ConfigFileError(path: path, line: token.line, reason: "profile [\(name)] holds a session token beside a long-term key; remove the token line")
            }
        }
    }

    /// The file with a new profile `[name]` holding the key appended, in the file's own line
    /// ends; a line end is added first when the file does not end with one, and a blank line
    /// separates it from what was there.
    public func appendingProfile(_ name: String, keyId: String, secret: String) -> [UInt8] {
        let lines = Self.lines(of: bytes)
        let eol = lines.first { !$0.end.isEmpty }?.end ?? [0x0A]
        var out = bytes
        if !out.isEmpty {
            if lines.last?.end.isEmpty ?? false { out += eol }
            out += eol
        }
        for line in ["[\(name)]", "aws_access_key_id = \(keyId)", "aws_secret_access_key = \(secret)"] {
            out += Array(line.utf8) + eol
        }
        return out
    }

    /// Replaces the value of each key in `values` on the lines where the sections named set
    /// it, byte for byte around it: the spaces around the delimiter, any trailing spaces and
    /// the line end are kept.
    func rewritten(sections names: Set<String>, values: [String: String]) -> [UInt8] {
        var replacements: [Int: String] = [:]
        for section in file.sections where names.contains(section.name) {
            for (key, value) in values { if let entry = section.entry(key) { replacements[entry.line] = value } }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        for (i, line) in Self.lines(of: bytes).enumerated() {
            if let value = replacements[i + 1] { out += Self.replacingValue(in: line.text, with: value) } else { out += line.text }
            out += line.end
        }
        return out
    }

    /// The file's lines as Python's universal newlines split them (`\r\n`, `\r`, `\n`), each
    /// with its own line end (empty for a last line without one).
    static func lines(of bytes: [UInt8]) -> [(text: ArraySlice<UInt8>, end: ArraySlice<UInt8>)] {
        var lines: [(text: ArraySlice<UInt8>, end: ArraySlice<UInt8>)] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                let endStart = i
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                lines.append((bytes[start..<endStart], bytes[endStart...i]))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append((bytes[start...], [])) }
        return lines
    }

    /// The key line with its value (after the first `=` or `:`, without the whitespace
    /// around it as Python strips it) replaced.
    static func replacingValue(in line: ArraySlice<UInt8>, with value: String) -> [UInt8] {
        let s = Array(String(decoding: line, as: UTF8.self).unicodeScalars)[...]
        guard let delimiter = s.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return Array(line) }
        let old = PythonText.strip(s[(delimiter + 1)...])
        let before = old.isEmpty ? PythonText.rstrip(s[(delimiter + 1)...]).endIndex : old.startIndex
        let after = old.isEmpty ? before : old.endIndex
        return Array((PythonText.string(s[..<before]) + value + PythonText.string(s[after...])).utf8)
    }
}
