import AWSCore

/// A table as `DescribeTable` describes it (the parts credctl shows and probes with).
public struct TableDescription: Sendable {
    public var name: String
    public var arn: String?
    public var status: String?
    /// The partition key's name and attribute type (`S`, `N` or `B`).
    public var partitionKey: (name: String, type: String)?
    public var itemCount: Int?
    /// The whole `Table` object, for `--output json`.
    public var json: JSONValue
}

/// The DynamoDB operations credctl calls: reads only (`sql` runs SELECT statements only).
public enum DynamoDBOperation: String, ServiceOperation, CaseIterable {
    case listTables = "ListTables"
    case describeTable = "DescribeTable"
    case scan = "Scan"
    case query = "Query"
    case executeStatement = "ExecuteStatement"

    public var safety: RepeatSafety { .idempotent }
}

/// Amazon DynamoDB (JSON 1.0, target prefix `DynamoDB_20120810`). Items stay in DynamoDB's
/// typed JSON (`{"S": "…"}`), exactly as the service sends them.
public struct DynamoDBClient: Sendable {
    let json: JSONProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .dynamoDB, targetPrefix: "DynamoDB_20120810", jsonVersion: "1.0")
    }

    /// Every table name, following `LastEvaluatedTableName`; at most `limit` when given.
    public func listTables(limit: Int? = nil) throws(AWSError) -> [String] {
        try Paginator.all(operation: "dynamodb:ListTables", limit: limit) { start throws(AWSError) in
            var input: [(String, JSONValue)] = []
            if let start { input.append(("ExclusiveStartTableName", .string(start))) }
            if let limit { input.append(("Limit", .number(min(100, max(1, limit))))) }
            let out = try json.call(DynamoDBOperation.listTables, .object(input))
            return Page(items: out["TableNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        nextToken: out["LastEvaluatedTableName"]?.stringValue)
        }
    }

    public func describeTable(_ name: String) throws(AWSError) -> TableDescription {
        let out = try json.call(DynamoDBOperation.describeTable, .object([("TableName", .string(name))]))
        guard let table = out["Table"], let tableName = table["TableName"]?.stringValue else {
            throw .invalidResponse(operation: "dynamodb:DescribeTable", detail: "Table missing")
        }
        var key: (String, String)?
        if let hash = table["KeySchema"]?.arrayValue?.first(where: { $0["KeyType"]?.stringValue == "HASH" })?["AttributeName"]?.stringValue {
            guard let type = table["AttributeDefinitions"]?.arrayValue?.first(where: { $0["AttributeName"]?.stringValue == hash })?["AttributeType"]?.stringValue else {
                throw .invalidResponse(operation: "dynamodb:DescribeTable", detail: "no AttributeDefinitions entry for the partition key \(hash)")
            }
            key = (hash, type)
        }
        return TableDescription(name: tableName, arn: table["TableArn"]?.stringValue, status: table["TableStatus"]?.stringValue,
                                partitionKey: key, itemCount: table["ItemCount"]?.intValue, json: table)
    }

    /// One page of a scan: `{"Items": […], "Count": n, …}` as sent.
    public func scan(_ table: String, limit: Int?) throws(AWSError) -> JSONValue {
        var input: [(String, JSONValue)] = [("TableName", .string(table))]
        if let limit { input.append(("Limit", .number(limit))) }
        return try json.call(DynamoDBOperation.scan, .object(input))
    }

    /// A query for one partition-key value.
    public func query(_ table: String, key: String, value: JSONValue, limit: Int?) throws(AWSError) -> JSONValue {
        var input: [(String, JSONValue)] = [
            ("TableName", .string(table)), ("KeyConditionExpression", .string("#k = :v")),
            ("ExpressionAttributeNames", .object([("#k", .string(key))])),
            ("ExpressionAttributeValues", .object([(":v", value)])),
        ]
        if let limit { input.append(("Limit", .number(limit))) }
        return try json.call(DynamoDBOperation.query, .object(input))
    }

    /// A PartiQL statement (`SELECT …`): one page of `{"Items": […], "NextToken": …}`.
    public func executeStatement(_ statement: String, limit: Int?) throws(AWSError) -> JSONValue {
        var input: [(String, JSONValue)] = [("Statement", .string(statement))]
        if let limit { input.append(("Limit", .number(limit))) }
        return try json.call(DynamoDBOperation.executeStatement, .object(input))
    }
}
