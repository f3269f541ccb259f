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
        file.sections.filter { $0["aws_access_key_id"] == keyId }.map(\.name)
    }

    /// The file with `oldKeyId` replaced by `newKeyId` and its secret by `newSecret` in every
    /// profile that held it. Throws, changing nothing, when a profile cannot be rewritten
    /// exactly (a value continued on the next line, a missing secret, a session token beside
    /// a long-term key).
    public func replacingKey(_ oldKeyId: String, with newKeyId: String, secret newSecret: String) throws(ConfigFileError) -> [UInt8] {
        let names = Set(profiles(holding: oldKeyId))
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

    /// Checks that every profile in `names` holds a key id and a secret, each on one line of its own.
    public func checkRewritable(_ names: Set<String>) throws(ConfigFileError) {
        for section in file.sections where names.contains(section.name) {
            for key in ["aws_access_key_id", "aws_secret_access_key"] {
                guard let entry = section.entry(key) else {
                    throw ConfigFileError(path: path, line: section.line, reason: "profile [\(section.name)] has no \(key)")
                }
                guard !entry.value.contains("\n") else {
                    throw ConfigFileError(path: path, line: entry.line, reason: "\(key) of [\(section.name)] continues on the next line; put it on one line")
                }
            }
            if let token = section.entry("aws_session_token") ?? section.entry("aws_security_token") {
                throw ConfigFileError(path: path, line: token.line, reason: "profile [\(section.name)] holds a session token beside a long-term key; remove the token line")
            }
        }
    }

    /// The file with a new profile `[name]` holding the key appended; a newline is added first
    /// when the file does not end with one, and a blank line separates it from what was there.
    public func appendingProfile(_ name: String, keyId: String, secret: String) -> [UInt8] {
        var out = bytes
        if !out.isEmpty {
            if out.last != 0x0A { out.append(0x0A) }
            out.append(0x0A)
        }
        out += Array("[\(name)]\naws_access_key_id = \(keyId)\naws_secret_access_key = \(secret)\n".utf8)
        return out
    }

    /// Replaces the value of each key in `values` inside the sections named, byte for byte
    /// around it: the spaces around `=`, any trailing spaces and the line end are kept.
    func rewritten(sections names: Set<String>, values: [String: String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var inTarget = false
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = Array(bytes[start..<end])
            inTarget = Self.sectionName(of: line).map(names.contains) ?? inTarget
            out += inTarget ? Self.replacingValue(in: line, values) : line
            if end < bytes.count { out.append(0x0A) }
            start = end + 1
        }
        return out
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// `name` for a `[name]` line, nil for any other line.
    static func sectionName(of line: [UInt8]) -> String? {
        guard let first = line.firstIndex(where: { !isSpace($0) }), line[first] == UInt8(ascii: "["),
              let last = line.lastIndex(where: { !isSpace($0) && $0 != 0x0D }), line[last] == UInt8(ascii: "]"), last > first else { return nil }
        return String(decoding: line[(first + 1)..<last], as: UTF8.self).trimmingSpaces()
    }

    /// The line with its value replaced when its key is one of `values`' keys.
    static func replacingValue(in line: [UInt8], _ values: [String: String]) -> [UInt8] {
        guard let first = line.first, !isSpace(first), first != UInt8(ascii: "#"), first != UInt8(ascii: ";"),
              let delimiter = line.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return line }
        let key = String(decoding: line[..<delimiter], as: UTF8.self).trimmingSpaces().lowercased()
        guard let value = values[key] else { return line }
        var valueStart = delimiter + 1
        while valueStart < line.count, isSpace(line[valueStart]) { valueStart += 1 }
        var valueEnd = line.count
        while valueEnd > valueStart, isSpace(line[valueEnd - 1]) || line[valueEnd - 1] == 0x0D { valueEnd -= 1 }
        return Array(line[..<valueStart]) + Array(value.utf8) + Array(line[valueEnd...])
    }
}
