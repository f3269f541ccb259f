import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct DynamoDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamodb",
        abstract: "Check DynamoDB access the way a data source would, and take quick looks.",
        subcommands: [DynamoDBCheckCommand.self, DynamoDBTablesCommand.self, DynamoDBDescribeCommand.self,
                      DynamoDBScanCommand.self, DynamoDBSQLCommand.self]
    )
}

/// A DynamoDB client with the resolved credentials (the endpoint first, so a missing region is
/// reported before any credential provider runs).
func dynamoDBClient(_ global: GlobalOptions) throws -> DynamoDBClient {
    try global.session().dynamoDB()
}

/// How many items `scan` and `sql` print.
struct ItemLimit: ParsableArguments {
    @Option(help: "At most this many items (default 25).")
    var limit: Int = 25

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }
}

struct DynamoDBCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The \"Save & Test\" of a DynamoDB data source: ListTables, DescribeTable, Scan, Query, PartiQL SELECT.",
        discussion: """
            credctl dynamodb check --table metrics --region eu-west-1

            Scan, Query and SELECT read at most one item. \(probeDiscussion)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(parsing: .singleValue, help: "A table to probe (repeat for several).")
    var table: [String] = []

    func run() throws {
        try reportingErrors {
            try reportProbes(PermissionChecks(session: global.session()).dynamoDB(tables: table), format: global.output)
        }
    }
}

struct DynamoDBTablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tables", abstract: "The region's table names, one per line (JSON: an array).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            let names = try dynamoDBClient(global).listTables()
            if global.output == .json {
                StandardStream.output.write(JSONValue.array(names.map { .string($0) }).serialized(pretty: true) + "\n")
            } else {
                StandardStream.output.write(names.map { $0 + "\n" }.joined())
            }
        }
    }
}

struct DynamoDBDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "A table's status, key, item count and ARN (JSON: the whole description).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    func run() throws {
        try reportingErrors {
            let d = try dynamoDBClient(global).describeTable(table)
            StandardStream.output.write(RecordOutput(
                fields: [("table", "Table", d.name), ("status", "Status", d.status),
                         ("partition_key", "Partition key", d.partitionKey.map { "\($0.name) (\($0.type))" }),
                         ("item_count", "Items", d.itemCount.map(String.init)), ("arn", "ARN", d.arn)],
                json: d.json).render(global.output))
        }
    }
}

struct DynamoDBScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "One page of a scan as DynamoDB JSON (typed attribute values).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    @OptionGroup var page: ItemLimit

    func run() throws {
        try reportingErrors {
            StandardStream.output.write(try dynamoDBClient(global).scan(table, limit: page.limit).serialized(pretty: true) + "\n")
        }
    }
}

struct DynamoDBSQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Run a PartiQL SELECT; one page of items as DynamoDB JSON.",
        discussion: "credctl dynamodb sql 'SELECT * FROM \"metrics\" WHERE host = ?' is not supported (no parameters); write the value in the statement. Only SELECT statements are accepted (exit 2 otherwise).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The statement, e.g. 'SELECT * FROM \"metrics\" WHERE host = ''web-1'''.")
    var statement: String

    @OptionGroup var page: ItemLimit

    func run() throws {
        try reportingErrors {
            let verb = statement.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(6).uppercased()
            guard verb == "SELECT" else { throw CommandInputError("only SELECT statements are run by credctl dynamodb sql") }
            StandardStream.output.write(try dynamoDBClient(global).executeStatement(statement, limit: page.limit).serialized(pretty: true) + "\n")
        }
    }
}
