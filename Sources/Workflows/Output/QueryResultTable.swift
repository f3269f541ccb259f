import AWSCore

/// A `--query` result in `--output table`: credctl's own table layout for whatever JSON the
/// query returned. An object is a record (its members as `Label  value` lines), a list of
/// objects a table whose columns are the members in order of first appearance, a list of
/// scalars one value a line, a scalar itself; nested values are shown as compact JSON.
public enum QueryResultTable {
    public static func render(_ value: JSONValue) -> String {
        report(value).render(.table)
    }

    static func report(_ value: JSONValue) -> Report {
        switch value {
        case .object(let members):
            return .record(members.map { ReportField($0.0, $0.0, cell($0.1)) })
        case .array(let items) where !items.isEmpty && items.allSatisfy({ if case .object = $0 { return true } else { return false } }):
            var names: [String] = []
            for case .object(let members) in items { for (k, _) in members where !names.contains(k) { names.append(k) } }
            let rows = items.map { item in names.map { name in item[name].map(cell) ?? .null } }
            return .table(names.map { Report.Column($0, $0) }, rows)
        case .array(let items):
            return Report([(nil, .lines(items.map { cell($0).line ?? "None" }))])
        default:
            return Report([(nil, .lines([cell(value).line ?? "None"]))])
        }
    }

    private static func cell(_ v: JSONValue) -> ReportValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .flag(b)
        case .string(let s): return .text(s)
        default: return .document(v)
        }
    }
}
