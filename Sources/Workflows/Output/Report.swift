import AWSCore

/// The output formats every command honours: `table` for people (aligned, control characters
/// escaped), `text` for `cut`/`awk` (tab-separated, one item a line), `json` for programs
/// (the documented contract, values exact), `csv` for spreadsheets (the report's main table).
public enum OutputFormat: String, CaseIterable, Sendable {
    case json, text, table, csv
}

/// What a command found, described once and rendered in each format from that description.
public struct Report: Sendable, Equatable {
    public indirect enum Section: Sendable, Equatable {
        /// Named fields: `Label  value` lines; a JSON object.
        case record([ReportField])
        /// Rows under column headers; a JSON array of objects.
        case table([Column], [[ReportValue]])
        /// Lines of prose (a plan's steps); a JSON array of strings.
        case lines([String])
        /// A document that is the user's data (a policy): pretty JSON in every format.
        case document(JSONValue)
        /// A checklist (`doctor`): `[ok] name  detail` lines with a fix under each problem; a JSON
        /// array of `{Check, Status, Detail, Fix}`.
        case checklist([CheckItem])
        /// Sections under a heading line, indented (an account and its findings); without a
        /// heading, sections shown one after another with no blank line between them.
        case group(String?, [Section])
    }

    /// One line of a checklist.
    public struct CheckItem: Sendable, Equatable {
        public enum Status: String, Sendable { case ok, fail, warn, info }
        public var name: String
        public var status: Status
        public var detail: String
        public var fix: String?

        public init(_ name: String, _ status: Status, _ detail: String, fix: String? = nil) {
            self.name = name
            self.status = status
            self.detail = detail
            self.fix = fix
        }
    }

    /// A column: its JSON member name and its header (`KEY ID`).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var header: String

        public init(_ name: String, _ header: String) {
            self.name = name
            self.header = header
        }
    }

    /// The formats a section appears in: everywhere, only as data (JSON and CSV: what people
    /// need not read), only for people (a summary line the data carries elsewhere), or a set of
    /// its own (a spreadsheet form only CSV shows).
    public struct Visibility: Sendable, Equatable {
        public var formats: Set<OutputFormat>

        public static let everywhere = Visibility(formats: Set(OutputFormat.allCases))
        public static let dataOnly = Visibility(formats: [.json, .csv])
        public static let peopleOnly = Visibility(formats: [.table, .text])
        public static func only(_ formats: OutputFormat...) -> Visibility { Visibility(formats: Set(formats)) }
    }

    /// Each section with the JSON member it appears under (nil for a report of one section,
    /// whose JSON is the section's own, or for a record whose fields are members themselves).
    public var sections: [(name: String?, section: Section, visibility: Visibility)]
    /// A check found problems: the command exits 1.
    public var foundProblems: Bool

    public init(_ sections: [(name: String?, section: Section)], foundProblems: Bool = false) {
        self.sections = sections.map { ($0.name, $0.section, .everywhere) }
        self.foundProblems = foundProblems
    }

    public init(parts: [(name: String?, section: Section, visibility: Visibility)], foundProblems: Bool = false) {
        self.sections = parts
        self.foundProblems = foundProblems
    }

    public static func record(_ fields: [ReportField], foundProblems: Bool = false) -> Report {
        Report([(nil, .record(fields))], foundProblems: foundProblems)
    }

    public static func table(_ columns: [Column], _ rows: [[ReportValue]], foundProblems: Bool = false) -> Report {
        Report([(nil, .table(columns, rows))], foundProblems: foundProblems)
    }

    public static func == (a: Report, b: Report) -> Bool {
        a.foundProblems == b.foundProblems && a.sections.map(\.name) == b.sections.map(\.name)
            && a.sections.map(\.section) == b.sections.map(\.section) && a.sections.map(\.visibility) == b.sections.map(\.visibility)
    }

    /// One section without a name is the whole JSON; otherwise each named section is a member
    /// and an unnamed record's fields are members of their own.
    public var json: JSONValue {
        let data = sections.filter { $0.visibility.formats.contains(.json) }
        if data.count == 1, data[0].name == nil { return Self.json(data[0].section) }
        var members: [(String, JSONValue)] = []
        for (name, section, _) in data {
            if let name { members.append((name, Self.json(section))) }
            else if case .object(let fields) = Self.json(section) { members += fields }
        }
        return .object(members)
    }

    func shown(in format: OutputFormat) -> [Section] { sections.filter { $0.visibility.formats.contains(format) }.map(\.section) }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return json.serialized(pretty: true) + "\n"
        case .text: return shown(in: .text).map(ReportText.text).joined()
        case .table: return shown(in: .table).map(ReportText.table).filter { !$0.isEmpty }.joined(separator: "\n")
        case .csv: return ReportCSV.csv(shown(in: .csv))
        }
    }

    static func json(_ section: Section) -> JSONValue {
        switch section {
        case .record(let fields): return ReportValue.record(fields).json
        case .table(let columns, let rows):
            return .array(rows.map { row in .object(zip(columns, row).map { ($0.name, $1.json) }) })
        case .lines(let lines): return .array(lines.map { .string($0) })
        case .document(let d): return d
        case .checklist(let items):
            return .array(items.map { .object([("Check", .string($0.name)), ("Status", .string($0.status.rawValue)),
                                               ("Detail", .string($0.detail)), ("Fix", .optional($0.fix))]) })
        case .group(let heading, let children):
            return .object([("Heading", .optional(heading)), ("Sections", .array(children.map(json)))])
        }
    }
}
