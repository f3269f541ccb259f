import ArgumentParser
import AWSCore
import Workflows

extension PolicyTemplate: ExpressibleByArgument {}

/// `--template a,b`: the templates' names, comma-separated.
extension PolicyTemplates: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { PolicyTemplate.allCases.map(\.rawValue) }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// The options that narrow a policy template.
struct TemplateOptions: ParsableArguments {
    @Option(parsing: .singleValue, help: "A resource the template covers (s3-sink-writer: the bucket name).")
    var resource: [String] = []

    @Option(parsing: .singleValue, help: "A DynamoDB table (repeat for several).")
    var table: [String] = []

    @Flag(name: .customLong("all-tables"), help: "dynamodb-read: every table (the wide form, asked for by name).")
    var allTables = false

    @Flag(name: .customLong("all-secrets"), help: "secrets-writer: every secret (the wide form, asked for by name).")
    var allSecrets = false

    @Option(help: "An SSM parameter path (/APP/STAGING), a secret-name prefix, or an S3 key prefix.")
    var path: String?

    @Option(help: "The 12-digit account id (default '*'; for trust policies, the trusted or owning account).")
    var account: String?

    @Option(name: .customLong("policy-region"), help: "The region the resources are in (default '*').")
    var policyRegion: String?

    @Option(name: .customLong("external-id"), help: "cross-account-trust: the external id the other account must send.")
    var externalId: String?

    @Option(name: .customLong("oidc-provider"), help: "irsa-trust: the cluster's OIDC issuer URL.")
    var oidcProvider: String?

    @Option(help: "irsa-trust: the Kubernetes namespace.")
    var namespace: String?

    @Option(name: .customLong("service-account"), help: "irsa-trust: the Kubernetes service account.")
    var serviceAccount: String?

    var parameters: PolicyParameters {
        var p = PolicyParameters()
        p.resources = resource
        p.tables = table
        p.path = path
        p.account = account
        p.region = policyRegion
        p.externalId = externalId
        p.oidcProvider = oidcProvider
        p.namespace = namespace
        p.serviceAccount = serviceAccount
        p.allTables = allTables
        p.allSecrets = allSecrets
        return p
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Least-privilege IAM policy and trust-policy templates.",
        subcommands: [PolicyShowCommand.self, PolicyListCommand.self]
    )
}

struct PolicyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The templates and what each grants.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.offline(global) { .report(SetupReport.templates()) }
    }
}

struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a template as a pretty JSON policy document.",
        discussion: HelpText.reflowed("""
            credctl policy show ssm-path-read --path /APP/STAGING \\
                --policy-region eu-west-1 --account 123456789012
            credctl policy show dynamodb-read --table grafana-metrics
            credctl policy show cross-account-trust --account 111122223333 \\
                --external-id 7a1c9e2f-deploy
            credctl policy show irsa-trust \\
                --oidc-provider https://oidc.eks.eu-west-1.amazonaws.com/id/ABC \\
                --namespace monitoring --service-account grafana --account 123456789012

            Templates: \(PolicyTemplate.allCases.map(\.rawValue).joined(separator: ", ")). No call is made.
            A missing or malformed option exits 2.
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The template.")
    var template: PolicyTemplate

    @OptionGroup var options: TemplateOptions

    func run() throws {
        try Run.offline(global) {
            .report(Report([(nil, .document(try template.document(options.parameters)))]))
        }
    }
}
