import AWSCore

/// A shared file read exactly as botocore reads it: Python 3.11's `configparser.RawConfigParser`
/// (strict mode), then botocore's sub-sections. In short (docs/credentials.md has every rule):
/// `\r\n`, `\r` and `\n` end lines; a line whose first non-space character is `#` or `;` is a
/// comment (there are no inline comments); `[NAME]` runs to the last `]` on the line and keeps
/// spaces inside the brackets; `key = value` or `key: value` splits at the first `=` or `:`,
/// keys lower-cased; a line indented deeper than the key or header line above continues the
/// value (blank lines inside a value are kept); `[DEFAULT]`'s keys are copied into every
/// section that does not set them; a value that starts on the next line (`s3 =` then indented
/// `k = v` lines) is a sub-section. A repeated section or key, a line before any section, a
/// line without `=` or `:` and a sub-section line without `=` are errors naming the line.
public struct INIFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// Set when the value is a sub-section (`s3 =` followed by indented `k = v` lines);
        /// its keys keep their case, as botocore's do.
        public var subsection: [String: String]?
        public var line: Int
        /// The entry comes from the file's `[DEFAULT]` section (`line` is there).
        public var fromDefaultSection = false
    }

    public struct Section: Sendable, Equatable {
        /// The text between the brackets, exactly (spaces inside the brackets are kept).
        public var name: String
        public var line: Int
        /// The section's own entries in file order, then the `[DEFAULT]` entries it does not override.
        public var entries: [Entry]

        public subscript(key: String) -> String? { entry(key)?.value }
        public func entry(_ key: String) -> Entry? { entries.first { PythonText.same($0.key, key) } }
    }

    public var path: String
    /// Every section but `[DEFAULT]`, in file order.
    public var sections: [Section]
    /// The `[DEFAULT]` section's entries (already copied into every section).
    public var defaults: [Entry] = []
    /// The lines of the `[DEFAULT]` headers.
    public var defaultSectionLines: [Int] = []

    public func section(_ name: String) -> Section? { sections.first { PythonText.same($0.name, name) } }

    public init(path: String, sections: [Section]) {
        self.path = path
        self.sections = sections
    }

    /// Parses `text`; errors name `path` and the line, and quote at most 12 characters of it.
    public init(parsing text: String, path: String) throws(ConfigFileError) {
        self.path = path
        var builder = INIFileBuilder(path: path)
        for line in INIScanner.lines(of: text) { try builder.add(line) }
        (sections, defaults, defaultSectionLines) = try builder.finish()
    }
}

/// Turns classified lines into sections, refusing what configparser and botocore refuse.
struct INIFileBuilder {
    struct PendingEntry {
        var key: String
        var line: Int
        /// The value's lines: the first from the key's line, then continuations and blank lines.
        var pieces: [(line: Int, text: String)]
    }
    struct PendingSection {
        var name: String
        var line: Int
        var entries: [PendingEntry] = []
    }

    let path: String
    var sections: [PendingSection] = []
    var defaults = PendingSection(name: "DEFAULT", line: 0)
    var defaultLines: [Int] = []
    var seenSections: Set<ExactText> = []
    var seenKeys: Set<[ExactText]> = []
    /// nil before the first header; -1 for `[DEFAULT]`.
    var current: Int?
    var openEntry = false

    init(path: String) { self.path = path }

    func error(_ line: Int, _ reason: String) -> ConfigFileError { ConfigFileError(path: path, line: line, reason: reason) }

    mutating func add(_ line: INILine) throws(ConfigFileError) {
        switch line.kind {
        case .comment:
            return
        case .blank:
            if line.insideValue { appendPiece(line.number, "") }
        case .continuation(let text):
            appendPiece(line.number, text)
        case .header(let name, _):
            openEntry = false
            if name == "DEFAULT" {
                current = -1
                defaultLines.append(line.number)
                return
            }
            guard seenSections.insert(ExactText(name)).inserted else {
                throw error(line.number, "section [\(FileExcerpt.ofSection(name))] appears twice")
            }
            sections.append(PendingSection(name: name, line: line.number))
            current = sections.count - 1
        case .outsideSection(let text):
            throw error(line.number, "'\(FileExcerpt.of(text))' is outside any [section]")
        case .noDelimiter(let text):
            throw error(line.number, "expected 'key = value', found '\(FileExcerpt.of(text))'")
        case .option(let key, let rawKey, let value, _, _):
            guard let current else { throw error(line.number, "a key outside any [section]") }
            guard !rawKey.isEmpty else { throw error(line.number, "a value without a key") }
            let sectionName = current < 0 ? "DEFAULT" : sections[current].name
            guard seenKeys.insert([ExactText(sectionName), ExactText(key)]).inserted else {
                throw error(line.number, "'\(FileExcerpt.of(key))' is set twice in [\(FileExcerpt.ofSection(sectionName))]")
            }
            let entry = PendingEntry(key: key, line: line.number, pieces: [(line.number, value)])
            if current < 0 { defaults.entries.append(entry) } else { sections[current].entries.append(entry) }
            openEntry = true
        }
    }

    /// Adds a line to the value of the option last opened (the scanner only produces
    /// continuations and in-value blank lines while one is open).
    mutating func appendPiece(_ line: Int, _ text: String) {
        guard openEntry, let current else { return }
        if current < 0 {
            defaults.entries[defaults.entries.count - 1].pieces.append((line, text))
        } else {
            sections[current].entries[sections[current].entries.count - 1].pieces.append((line, text))
        }
    }

    func finish() throws(ConfigFileError) -> ([INIFile.Section], [INIFile.Entry], [Int]) {
        let defaultEntries = defaults.entries.map { Self.entry($0, fromDefault: true) }
        var result: [INIFile.Section] = []
        for pending in sections {
            var entries = pending.entries.map { Self.entry($0, fromDefault: false) }
            let own = Set(entries.map { ExactText($0.key) })
            entries += defaultEntries.filter { !own.contains(ExactText($0.key)) }
            // botocore parses the sub-sections of every section's values, inherited ones too.
            for i in entries.indices where entries[i].value.unicodeScalars.first == "\n" {
                let pieces = (entries[i].fromDefaultSection ? defaults.entries : pending.entries)
                    .first { PythonText.same($0.key, entries[i].key) }!.pieces
                entries[i].subsection = try subsection(pieces, key: entries[i].key)
            }
            result.append(INIFile.Section(name: pending.name, line: pending.line, entries: entries))
        }
        return (result, defaultEntries, defaultLines)
    }

    /// configparser's `'\n'.join(lines).rstrip()`.
    static func entry(_ p: PendingEntry, fromDefault: Bool) -> INIFile.Entry {
        let joined = p.pieces.map(\.text).joined(separator: "\n")
        let value = PythonText.string(PythonText.rstrip(PythonText.scalars(joined)))
        return INIFile.Entry(key: p.key, value: value, subsection: nil, line: p.line, fromDefaultSection: fromDefault)
    }

    /// botocore's `_parse_nested`: each line of the value (`str.splitlines`), stripped; blank
    /// ones skipped; the others split at their first `=` (later keys win).
    func subsection(_ pieces: [(line: Int, text: String)], key: String) throws(ConfigFileError) -> [String: String] {
        var result: [String: String] = [:]
        for piece in pieces {
            for subLine in PythonText.splitLines(PythonText.scalars(piece.text)) {
                let stripped = PythonText.strip(subLine)
                if stripped.isEmpty { continue }
                guard let eq = stripped.firstIndex(of: "=") else {
                    throw error(piece.line, "expected 'key = value' in the sub-section '\(FileExcerpt.of(key))', found '\(FileExcerpt.of(PythonText.string(stripped)))'")
                }
                result[PythonText.string(PythonText.strip(stripped[..<eq]))] = PythonText.string(PythonText.strip(stripped[(eq + 1)...]))
            }
        }
        return result
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

extension ConfigFileError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

extension ConfigFileError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}
