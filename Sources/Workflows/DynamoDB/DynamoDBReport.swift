import AWSClients
import AWSCore

/// The DynamoDB quick looks: typed fields for a table's description, the items exactly as
/// DynamoDB types them (`{"S": "…"}`), and a page's count and continuation.
public enum DynamoDBReport {
    public static func tables(_ names: [String]) -> Report {
        .table([Report.Column("TableName", "Table")], names.map { [.text($0)] })
    }

    public static func table(_ d: TableDescription) -> Report {
        .record([
            ReportField("TableName", "Table", .text(d.name)),
            ReportField("Status", "Status", .text(d.status)),
            ReportField("PartitionKey", "Partition key",
                        d.partitionKey.map { .record([ReportField("Name", "", .text($0.name)), ReportField("Type", "", .text($0.type))]) } ?? .null,
                        display: d.partitionKey.map { "\($0.name) (\($0.type))" }),
            ReportField("ItemCount", "Items", .number(d.itemCount)),
            ReportField("Arn", "ARN", .text(d.arn)),
        ])
    }

    /// One page of a scan or a SELECT; for CSV, the items as rows under their attribute names
    /// (sorted), each cell the typed value as compact JSON (`{"S":"web-1"}`).
    public static func page(_ page: JSONValue) -> Report {
        let items = page["Items"]?.arrayValue ?? []
        let next = page["LastEvaluatedKey"] ?? page["NextToken"]
        let document = JSONValue.object([("Items", .array(items)), ("Count", .number(items.count)),
                                         ("More", .bool(next != nil && next != .null))])
        let attributes = Set(items.flatMap { item -> [String] in
            if case .object(let members) = item { return members.map(\.0) }
            return []
        }).sorted()
        let rows = items.map { item in attributes.map { name in item[name].map(ReportValue.document) ?? .null } }
        return Report(parts: [(name: nil, section: .document(document), visibility: .only(.json, .table, .text)),
                              (name: nil, section: .table(attributes.map { Report.Column($0, $0) }, rows), visibility: .only(.csv))])
    }

    /// PartiQL statements credctl runs: SELECT only.
    public static func checkSelect(_ statement: String) throws(AWSError) {
        let verb = statement.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(6).uppercased()
        guard verb == "SELECT" else { throw .configuration(ConfigurationError("only SELECT statements are run by credctl dynamodb sql")) }
    }
}
