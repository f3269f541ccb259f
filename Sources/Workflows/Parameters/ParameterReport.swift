import AWSClients
import AWSCore

/// How the `params` commands show parameters, their metadata, history and transfer plans.
public enum ParameterReport {
    public static func parameter(_ p: Parameter) -> Report {
        .record([ReportField("Name", "Name", .text(p.name)), ReportField("Type", "Type", .text(p.type.rawValue)),
                 ReportField("Value", "Value", .text(p.value)), ReportField("Version", "Version", .number(p.version)),
                 ReportField("LastModifiedDate", "Last modified", .date(p.lastModified)), ReportField("ARN", "ARN", .text(p.arn)),
                 ReportField("DataType", "Data type", .text(p.dataType)), ReportField("Selector", "Selector", .text(p.selector))])
    }

    /// Names relative to the path read, with their values: a table for people; for programs one
    /// JSON object of name → value.
    public static func values(_ named: [(name: String, value: String)]) -> Report {
        Report(parts: [
            (name: nil, section: .table([Report.Column("Name", "Name"), Report.Column("Value", "Value")],
                                        named.map { [.text($0.name), .text($0.value)] }), visibility: .peopleOnly),
            (name: nil, section: .record(named.map { ReportField($0.name, "", .text($0.value)) }), visibility: .dataOnly),
        ])
    }

    public static func metadata(_ items: [ParameterMetadata]) -> Report {
        .table([Report.Column("Name", "Name"), Report.Column("Type", "Type"), Report.Column("Version", "Version"),
                Report.Column("LastModifiedDate", "Last modified"), Report.Column("Description", "Description"),
                Report.Column("LastModifiedUser", "Modified by"), Report.Column("KeyId", "Key id"), Report.Column("Tier", "Tier")],
               items.map { m in [.text(m.name), .text(m.type.rawValue), .number(m.version), .date(m.lastModified), .text(m.description),
                                 .text(m.lastModifiedUser), .text(m.keyId), .text(m.tier?.rawValue)] })
    }

    public static func history(_ versions: [ParameterVersion], values: Bool) -> Report {
        var columns = [Report.Column("Version", "Version"), Report.Column("Type", "Type"), Report.Column("LastModifiedDate", "Last modified"),
                       Report.Column("LastModifiedUser", "User"), Report.Column("Labels", "Labels"), Report.Column("Description", "Description")]
        if values { columns.append(Report.Column("Value", "Value")) }
        return .table(columns, versions.map { v in
            [.number(v.version), .text(v.type.rawValue), .date(v.lastModified), .text(v.lastModifiedUser), .texts(v.labels),
             .text(v.description)] + (values ? [.text(v.value)] : [])
        })
    }

    /// An import or copy plan, with each write's outcome once applied; a copy's also says what
    /// of each source parameter it could not keep (`NotKept`).
    public static func transfer(_ plan: ParameterTransfer, outcomes: [ParameterTransfer.Outcome]?, copy: Bool = false) -> Report {
        let failed = Dictionary((outcomes ?? []).compactMap { o in o.error.map { (o.item.name, $0) } }, uniquingKeysWith: { a, _ in a })
        func status(_ item: ParameterTransfer.Item) -> String {
            if let e = failed[item.name] { return "failed: \(e)" }
            if outcomes == nil, item.action != .unchanged, item.action != .conflict { return "would \(item.action.rawValue)" }
            return item.action.rawValue
        }
        var columns = [Report.Column("Name", "Name"), Report.Column("Type", "Type"), Report.Column("Action", "Action")]
        if copy { columns.append(Report.Column("NotKept", "Not kept")) }
        return .table(columns, plan.items.map { item in
            [.text(item.name), .text(item.type.rawValue), .text(status(item))]
                + (copy ? [item.notKept.isEmpty ? .null : .text(item.notKept.joined(separator: "; "))] : [])
        })
    }
}
