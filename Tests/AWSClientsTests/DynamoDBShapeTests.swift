@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

struct DynamoDBShapeTests {
    static let endpoint = Fixture.endpoint("dynamodb.eu-west-1.amazonaws.com", region: "eu-west-1")
    func ddb(_ client: AWSClient) -> DynamoDBClient { DynamoDBClient(client: client, endpoint: Self.endpoint) }
    func answer(_ text: String) -> HTTPResponse { JSONAnswer.ok(try! JSONValue.parse(text), contentType: "application/x-amz-json-1.0") }

    func expectDDB(_ r: RecordedRequest, _ operation: DynamoDBOperation, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectJSON(r, target: "DynamoDB_20120810.\(operation.name)", version: "1.0", body, safety: operation.safety, service: "dynamodb",
                   sourceLocation: sourceLocation)
    }

    static let table = """
        {"Table":{"AttributeDefinitions":[{"AttributeName":"ForumName","AttributeType":"S"},{"AttributeName":"Subject","AttributeType":"S"}],
          "CreationDateTime":1.363729002358E9,"ItemCount":42,
          "KeySchema":[{"AttributeName":"ForumName","KeyType":"HASH"},{"AttributeName":"Subject","KeyType":"RANGE"}],
          "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5},
          "TableArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/Thread","TableName":"Thread","TableSizeBytes":0,"TableStatus":"ACTIVE"}}
        """

    @Test func listTablesFollowsLastEvaluatedTableName() throws {
        let transport = ScriptedTransport([
            .response(answer(#"{"LastEvaluatedTableName":"Thread","TableNames":["Forum","ProductCatalog","Reply","Thread"]}"#)),
            .response(answer(#"{"TableNames":["Zeta"]}"#)),
        ])
        let names = try ddb(Fixture.client(transport)).listTables()
        #expect(names == ["Forum", "ProductCatalog", "Reply", "Thread", "Zeta"])
        expectDDB(transport.requests[0], .listTables, "{}")
        expectDDB(transport.requests[1], .listTables, #"{"ExclusiveStartTableName":"Thread"}"#)

        let (limited, r) = try exchange(answer(#"{"LastEvaluatedTableName":"B","TableNames":["A","B"]}"#)) { c throws(AWSError) in try ddb(c).listTables(limit: 2) }
        expectDDB(r, .listTables, #"{"Limit":2}"#)
        #expect(limited == ["A", "B"])
    }

    @Test func describeTable() throws {
        let (table, r) = try exchange(answer(Self.table)) { c throws(AWSError) in try ddb(c).describeTable("Thread") }
        expectDDB(r, .describeTable, #"{"TableName":"Thread"}"#)
        #expect(table.name == "Thread" && table.status == "ACTIVE" && table.itemCount == 42)
        #expect(table.arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/Thread")
        #expect(table.partitionKey?.name == "ForumName" && table.partitionKey?.type == "S")
        #expect(table.json["TableSizeBytes"]?.intValue == 0)
    }

    @Test func readsPassItemsThroughAsSent() throws {
        let items = #"{"Count":1,"Items":[{"ForumName":{"S":"Amazon DynamoDB"},"Views":{"N":"1"}}],"ScannedCount":1}"#
        let (scan, s) = try exchange(answer(items)) { c throws(AWSError) in try ddb(c).scan("Thread", limit: 5) }
        expectDDB(s, .scan, #"{"TableName":"Thread","Limit":5}"#)
        #expect(scan == (try JSONValue.parse(items)))

        let (_, q) = try exchange(answer(items)) { c throws(AWSError) in
            try ddb(c).query("Thread", key: "ForumName", value: .object([("S", .string("Amazon DynamoDB"))]), limit: nil)
        }
        expectDDB(q, .query, #"""
            {"TableName":"Thread","KeyConditionExpression":"#k = :v","ExpressionAttributeNames":{"#k":"ForumName"},
             "ExpressionAttributeValues":{":v":{"S":"Amazon DynamoDB"}}}
            """#)

        let (statement, e) = try exchange(answer(#"{"Items":[],"NextToken":"n"}"#)) { c throws(AWSError) in
            try ddb(c).executeStatement(#"SELECT * FROM "Thread""#, limit: 10)
        }
        expectDDB(e, .executeStatement, #"{"Statement":"SELECT * FROM \"Thread\"","Limit":10}"#)
        #expect(statement["NextToken"]?.stringValue == "n")
    }

    /// `Table` and its name are needed; a partition key without its attribute definition
    /// (both required by the model) is unreadable rather than guessed to be a string.
    @Test func answersMissingWhatIsNeededAreUnreadable() {
        expectInvalidResponse(failure(answer("{}")) { c throws(AWSError) in try ddb(c).describeTable("Thread") }, "dynamodb:DescribeTable")
        expectInvalidResponse(failure(answer(#"{"Table":{"TableStatus":"ACTIVE"}}"#)) { c throws(AWSError) in try ddb(c).describeTable("Thread") },
                              "dynamodb:DescribeTable")
        let noDefinition = Self.table.replacing(#"{"AttributeName":"ForumName","AttributeType":"S"},"#, with: "")
        expectInvalidResponse(failure(answer(noDefinition)) { c throws(AWSError) in try ddb(c).describeTable("Thread") }, "dynamodb:DescribeTable")
        expectInvalidResponse(failure(HTTPResponse(status: 200, body: Array("[1,".utf8))) { c throws(AWSError) in try ddb(c).scan("T", limit: nil) },
                              "dynamodb:Scan")
    }

    @Test func everyOperationIsARead() {
        #expect(DynamoDBOperation.allCases.allSatisfy { $0.safety == .idempotent })
    }
}
