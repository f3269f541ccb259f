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

/// How many items `scan` and `sql` print.
struct ItemLimit: ParsableArguments {
    @Option(help: "At most this many items, 1 to 1000 (default 25).")
    var limit: Int = 25

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1 to 1000") }
    }
}

struct DynamoDBCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The \"Save & Test\" of a DynamoDB data source: ListTables, DescribeTable, Scan, Query, PartiQL SELECT.",
        discussion: HelpText.reflowed("""
            credctl dynamodb check --table metrics --region eu-west-1

            Scan, Query and SELECT read at most one item. \(probeDiscussion)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Option(parsing: .singleValue, help: "A table to probe (repeat for several).")
    var table: [String] = []

    func run() throws {
        try Run.session(global) { session in .report(ProbeReport.probes(try PermissionChecks(session: session).dynamoDB(tables: table))) }
    }
}

struct DynamoDBTablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tables", abstract: "The region's table names.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.session(global) { session in .report(DynamoDBReport.tables(try session.dynamoDB().listTables())) }
    }
}

struct DynamoDBDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "A table's status, partition key, item count and ARN.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    func run() throws {
        try Run.session(global) { session in .report(DynamoDBReport.table(try session.dynamoDB().describeTable(table))) }
    }
}

struct DynamoDBScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "One page of a scan: the items as DynamoDB JSON (typed attribute values), their count, whether more follow.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The table.")
    var table: String

    @OptionGroup var page: ItemLimit

    func run() throws {
        try Run.session(global) { session in .report(DynamoDBReport.page(try session.dynamoDB().scan(table, limit: page.limit))) }
    }
}

struct DynamoDBSQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Run a PartiQL SELECT; one page of items as DynamoDB JSON.",
        discussion: "Statements take no parameters: write the value in the statement (WHERE host = 'web-1', not WHERE host = ?). Only SELECT statements are accepted (exit 2 otherwise).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The statement, e.g. 'SELECT * FROM \"metrics\" WHERE host = ''web-1'''.")
    var statement: String

    @OptionGroup var page: ItemLimit

    func run() throws {
        try DynamoDBReport.checkSelect(statement)
        try Run.session(global) { session in
            .report(DynamoDBReport.page(try session.dynamoDB().executeStatement(statement, limit: page.limit)))
        }
    }
}
