import AWSCore

/// A value in a report, typed so that every output format renders each kind one way: dates are
/// ISO 8601 UTC strings everywhere, numbers are JSON numbers, nothing is a service's raw answer.
public indirect enum ReportValue: Sendable, Equatable {
    case text(String)
    case number(Int)
    case flag(Bool)
    /// Seconds since 1970.
    case date(Int)
    /// A whole number of days: a number in JSON, `90d` for people.
    case days(Int)
    case list([ReportValue])
    case record([ReportField])
    /// A document that is the user's data (DynamoDB items, a policy), carried exactly.
    case document(JSONValue)
    case null

    public static func text(_ s: String?) -> ReportValue { s.map { .text($0) } ?? .null }
    public static func number(_ n: Int?) -> ReportValue { n.map { .number($0) } ?? .null }
    public static func date(_ t: Int?) -> ReportValue { t.map { .date($0) } ?? .null }
    public static func texts(_ items: [String]) -> ReportValue { .list(items.map { .text($0) }) }

    /// The value as JSON.
    public var json: JSONValue {
        switch self {
        case .text(let s): return .string(s)
        case .number(let n): return .number(n)
        case .flag(let b): return .bool(b)
        case .date(let t): return .string(Timestamp.format(t))
        case .days(let n): return .number(n)
        case .list(let items): return .array(items.map(\.json))
        case .record(let fields): return .object(fields.filter(\.inJSON).map { ($0.name, $0.value.json) })
        case .document(let d): return d
        case .null: return .null
        }
    }

    /// The value on one line for people and `cut`: control characters escaped; nil for null.
    public var line: String? {
        switch self {
        case .text(let s): return PrintableText.escaped(s)
        case .number(let n): return String(n)
        case .flag(let b): return b ? "yes" : "no"
        case .date(let t): return Timestamp.format(t)
        case .days(let n): return "\(n)d"
        case .list(let items): return items.compactMap(\.line).joined(separator: ", ")
        case .record(let fields): return fields.compactMap { f in f.value.line.map { "\(f.name)=\($0)" } }.joined(separator: " ")
        case .document(let d): return PrintableText.escaped(d.serialized())
        case .null: return nil
        }
    }
}

/// One named field: its JSON member name, its table label, its value, and optionally the text
/// people see instead of the value (`eu-west-1 (from AWS_REGION)` for a region record).
public struct ReportField: Sendable, Equatable {
    /// The JSON member name (`AccessKeyId`); text output uses its snake_case form.
    public var name: String
    /// The table label (`Access key`); empty for fields shown only in JSON.
    public var label: String
    public var value: ReportValue
    /// What table and text output show instead of `value`.
    public var display: String?
    /// False for fields shown to people only (a note), never part of the JSON contract.
    public var inJSON: Bool

    public init(_ name: String, _ label: String, _ value: ReportValue, display: String? = nil, inJSON: Bool = true) {
        self.name = name
        self.label = label
        self.value = value
        self.display = display
        self.inJSON = inJSON
    }

    /// What table and text output show.
    public var shown: String? { display.map(PrintableText.escaped) ?? value.line }

    /// `AccessKeyId` → `access_key_id`.
    public var textKey: String {
        var out = ""
        var previousLower = false
        for c in name.unicodeScalars {
            let upper = c.properties.isUppercase
            if upper, previousLower { out += "_" }
            out += String(c).lowercased()
            previousLower = !upper
        }
        return out
    }
}
