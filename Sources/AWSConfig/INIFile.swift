import AWSCore

/// The shared-file INI format as botocore reads it (Python's `configparser`, then sub-sections):
/// `#` and `;` start a comment line (no inline comments); `key = value` or `key: value`, keys
/// lower-cased, spaces around the delimiter ignored; indented lines continue the value above;
/// a key with an empty value followed by indented `k = v` lines is a sub-section (`s3 =`).
/// Repeated sections or keys, lines outside a section and lines without a delimiter are errors.
public struct INIFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// Set when the value is a sub-section (`s3 =` followed by indented `k = v` lines).
        public var subsection: [String: String]?
        public var line: Int
    }

    public struct Section: Sendable, Equatable {
        /// The text between the brackets, spaces trimmed.
        public var name: String
        public var line: Int
        public var entries: [Entry]

        public subscript(key: String) -> String? { entries.first { $0.key == key }?.value }
        public func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
    }

    public var path: String
    public var sections: [Section]

    public func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    public init(path: String, sections: [Section]) {
        self.path = path
        self.sections = sections
    }

    /// Parses `text`; errors name `path` and the line.
    public init(parsing text: String, path: String) throws(ConfigFileError) {
        self.path = path
        sections = []
        var seenSections: Set<String> = []
        var seenKeys: Set<String> = []
        var lastEntryLine: Int?

        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on both forms of line end.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let stripped = line.trimmingSpaces()
            if stripped.isEmpty || stripped.hasPrefix("#") || stripped.hasPrefix(";") {
                if stripped.isEmpty { lastEntryLine = nil }
                continue
            }
            let indented = line.first == " " || line.first == "\t"
            if indented, lastEntryLine != nil, !sections.isEmpty, !sections[sections.count - 1].entries.isEmpty {
                // Continuation of the value above.
                let last = sections[sections.count - 1].entries.count - 1
                let current = sections[sections.count - 1].entries[last].value
                sections[sections.count - 1].entries[last].value = current + "\n" + stripped
                continue
            }
            if stripped.hasPrefix("[") {
                guard stripped.hasSuffix("]"), stripped.count > 2 else {
                    throw ConfigFileError(path: path, line: lineNumber, reason: "malformed section header '\(stripped)'")
                }
                let name = String(stripped.dropFirst().dropLast()).trimmingSpaces()
                guard !seenSections.contains(name) else {
                    throw ConfigFileError(path: path, line: lineNumber, reason: "section [\(name)] appears twice")
                }
                seenSections.insert(name)
                seenKeys = []
                sections.append(Section(name: name, line: lineNumber, entries: []))
                lastEntryLine = nil
                continue
            }
            guard !sections.isEmpty else {
                throw ConfigFileError(path: path, line: lineNumber, reason: "'\(stripped)' is outside any [section]")
            }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigFileError(path: path, line: lineNumber, reason: "expected 'key = value', found '\(Self.describe(stripped))'")
            }
            let key = String(stripped[..<delimiter]).trimmingSpaces().lowercased()
            let value = String(stripped[stripped.index(after: delimiter)...]).trimmingSpaces()
            guard !key.isEmpty else {
                throw ConfigFileError(path: path, line: lineNumber, reason: "a value without a key")
            }
            guard !seenKeys.contains(key) else {
                throw ConfigFileError(path: path, line: lineNumber, reason: "'\(key)' is set twice in [\(sections[sections.count - 1].name)]")
            }
            seenKeys.insert(key)
            sections[sections.count - 1].entries.append(Entry(key: key, value: value, subsection: nil, line: lineNumber))
            lastEntryLine = lineNumber
        }
        // Values that began empty and continued on indented lines are sub-sections.
        for s in sections.indices {
            for e in sections[s].entries.indices where sections[s].entries[e].value.hasPrefix("\n") {
                var sub: [String: String] = [:]
                for subLine in sections[s].entries[e].value.split(separator: "\n") {
                    if let eq = subLine.firstIndex(of: "=") {
                        sub[String(subLine[..<eq]).trimmingSpaces().lowercased()] = String(subLine[subLine.index(after: eq)...]).trimmingSpaces()
                    }
                }
                sections[s].entries[e].subsection = sub
            }
        }
    }

    /// A line as it may appear in an error: a line that could hold a secret is cut short.
    private static func describe(_ line: String) -> String {
        line.count <= 24 ? line : String(line.prefix(12)) + "…"
    }
}

/// A shared file that cannot be read or parsed (exit 2).
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path), line \(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
