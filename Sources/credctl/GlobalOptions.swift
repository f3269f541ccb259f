import ArgumentParser
import AWSCore
import Workflows

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case json, text, table, csv
}

/// The options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Use this profile from the shared config and credentials files (turns the AWS_ACCESS_KEY_ID/… environment variables off).")
    var profile: String?

    @Option(help: "The AWS region (overrides AWS_REGION, AWS_DEFAULT_REGION and the profile's region).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "Send requests to this URL (also AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>).")
    var endpointURL: String?

    @Option(help: "Output format: json, text, table (default, human-readable) or csv.")
    var output: OutputFormat = .table

    @Flag(help: "Log each request and response to stderr, every secret redacted.")
    var debug = false

    @Flag(name: .customLong("no-color"), help: "No colour in output (also NO_COLOR). Accepted everywhere; no current command colours its output.")
    var noColor = false

    @Flag(help: "Print only errors and the values asked for (what every current command already does).")
    var quiet = false

    @Option(name: .customLong("cli-connect-timeout"), help: "Seconds to wait for a connection (default 60).")
    var connectTimeout: Double?

    @Option(name: .customLong("cli-read-timeout"), help: "Seconds to wait for data on a connection (default 60).")
    var readTimeout: Double?

    @Option(name: .customLong("mfa-code"), help: "The 6-digit MFA code for a profile with mfa_serial (asked for on a terminal otherwise).")
    var mfaCode: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write cached assumed-role credentials (~/.aws/credctl/cache).")
    var noCache = false

    func validate() throws {
        if let t = connectTimeout, !(t > 0) { throw ValidationError("--cli-connect-timeout must be a positive number of seconds") }
        if let t = readTimeout, !(t > 0) { throw ValidationError("--cli-read-timeout must be a positive number of seconds") }
    }

    var settings: SessionSettings {
        SessionSettings(profile: profile, region: region, endpointURL: endpointURL,
                        connectTimeout: connectTimeout, readTimeout: readTimeout, debug: debug,
                        mfaCode: mfaCode, noCache: noCache)
    }

    func session() throws(AWSError) -> AWSSession {
        try AWSSession(settings: settings, environment: Environment.current())
    }
}
