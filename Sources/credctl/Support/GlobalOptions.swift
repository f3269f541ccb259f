import ArgumentParser
import AWSCore
import JMESPath
import Workflows

extension OutputFormat: ExpressibleByArgument {}

/// The options every command takes, before or after the command's name.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Use this profile from the shared config and credentials files (turns the AWS_ACCESS_KEY_ID/… environment variables off).",
            completion: ProfileCompletion.kind)
    var profile: String?

    @Option(help: "The AWS region (overrides AWS_REGION, AWS_DEFAULT_REGION and the profile's region).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "Send requests to this URL (also AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>).")
    var endpointURL: String?

    @Option(help: "Output format: json, text, table or csv (default: AWS_DEFAULT_OUTPUT, else the profile's output, else table).")
    var output: OutputFormat?

    @Option(help: "A JMESPath expression applied to the JSON output before it is printed, as the AWS CLI applies --query (output.md in share/doc/credctl).")
    var query: String?

    @Flag(help: "Log each request and response to stderr, every secret redacted.")
    var debug = false

    @Flag(name: .customLong("no-color"), help: "No colour in output (also NO_COLOR). Accepted everywhere; no current command colours its output.")
    var noColor = false

    @Flag(help: "No progress or step lines on stderr: only errors and the values asked for.")
    var quiet = false

    @Option(name: .customLong("cli-connect-timeout"), help: "Seconds to wait for a connection (default 60).")
    var connectTimeout: String?

    @Option(name: .customLong("cli-read-timeout"), help: "Seconds to wait for data on a connection (default 60).")
    var readTimeout: String?

    @Option(name: .customLong("cli-total-timeout"),
            help: "Seconds one HTTP exchange may take in all, however the answer trickles (default 120, or the connect and read timeouts together when longer).")
    var totalTimeout: String?

    @Option(name: .customLong("mfa-code"), help: "The 6-digit MFA code for a profile with mfa_serial (asked for on a terminal otherwise).")
    var mfaCode: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write cached credentials: assumed roles (~/.aws/credctl/cache), vault sessions and credctl cached results (sealed in the vault), nor the agent's.")
    var noCache = false

    /// `--query`, compiled; a syntax error is a usage error, as the AWS CLI reports it.
    func compiledQuery() throws -> JMESPath.Expression? {
        guard let query else { return nil }
        do { return try JMESPath.Expression(query) } catch {
            throw CommandInputError("bad value for --query \(query): \(error)")
        }
    }

    /// `--output json` or `--query`: a command with a bare-value or export form gives its JSON form.
    var wantsJSON: Bool { output == .json || query != nil }

    var settings: SessionSettings {
        SessionSettings(profile: profile, region: region, endpointURL: endpointURL,
                        connectTimeout: connectTimeout, readTimeout: readTimeout, totalTimeout: totalTimeout, debug: debug,
                        mfaCode: mfaCode, noCache: noCache, askAgent: true)
    }

    func session(profileMayBeNew: Bool = false) throws(AWSError) -> AWSSession {
        var settings = self.settings
        settings.profileMayBeNew = profileMayBeNew
        return try AWSSession(settings: settings, environment: Environment.current())
    }

    /// Progress and step lines go to stderr unless `--quiet`.
    var reporter: @Sendable (String) -> Void {
        let quiet = self.quiet
        return { line in if !quiet { StandardStream.error.write("credctl: \(PrintableText.escaped(line))\n") } }
    }
}
