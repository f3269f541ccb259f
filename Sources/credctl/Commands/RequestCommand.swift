import ArgumentParser
import AWSCore
import SigV4
import Workflows

struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send a SigV4-signed HTTP request to any AWS API (like awscurl).",
        discussion: HelpText.reflowed("""
            The URL is taken as typed: percent-encode it as the service expects, as with curl.
            The method defaults to GET, or POST when -d is given. Without a Content-Type header, a
            POST body is sent as application/x-www-form-urlencoded (as curl does, and as query APIs
            expect); the body of any other method (a PUT of -d @FILE to S3) as
            application/octet-stream, so the service stores exactly the bytes given. A header value
            with a control character is refused (exit 2). --output does not apply: the answer is
            printed as it came. The service and region are read
            from an amazonaws.com host name unless given. Prints the response body; a non-2xx answer
            also prints the error on stderr and exits 4 (3 when AWS rejects the credentials).

            --dry-run prints the canonical request, the string to sign and the signed headers
            without sending (the session token is shown as <redacted>). --presign SECONDS prints a
            presigned URL (signature in the query string) instead of sending. --signing-time fixes the
            signing time (20150830T123600Z or 2015-08-30T12:36:00Z) so a signature can be reproduced.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The URL, e.g. 'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15'.")
    var url: String

    @Option(name: [.customShort("X"), .customLong("request")], help: "HTTP method.")
    var method: String?

    @Option(name: [.customShort("H"), .customLong("header")], help: "A header, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(name: [.customShort("d"), .customLong("data")], help: "The body, or @FILE to read it from a file (@- for stdin).")
    var data: String?

    @Option(help: "The signing name of the service (e.g. sts, iam, ssm, execute-api).")
    var service: String?

    @Flag(name: .customLong("dry-run"), help: "Print the canonical request, string to sign and signed headers; send nothing.")
    var dryRun = false

    @Option(name: .customLong("signing-time"), help: "Sign at this time instead of now.")
    var signingTime: String?

    @Flag(name: .customLong("unsigned-payload"), help: "Sign UNSIGNED-PAYLOAD instead of the body's hash.")
    var unsignedPayload = false

    @Option(help: "Print a presigned URL valid for this many seconds (1 to 604800) instead of sending.")
    var presign: Int?

    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the response status line and headers before the body.")
    var include = false

    func validate() throws {
        if let p = presign, !(1...604_800).contains(p) {
            throw ValidationError("--presign \(p): a presigned URL lives 1 to 604800 seconds (7 days)")
        }
    }

    func run() throws {
        try Run.refuse(global, unless: [], "request prints the answer as it came (-i adds the status and headers)")
        var body: (bytes: [UInt8], fromFile: Bool)?
        if let data {
            body = data.hasPrefix("@") ? (try InputFile.read(String(data.dropFirst()), label: "-d \(data)"), true) : (Array(data.utf8), false)
        }
        let input = RequestWorkflow.Input(url: url, method: method, headers: headers, body: body, service: service, region: global.region,
                                          signingTime: signingTime, unsignedPayload: unsignedPayload)
        _ = try RequestWorkflow.spec(input, resolvedRegion: nil)
        try Run.session(global, printsOwnBytes: true) { session in
            let request = try RequestWorkflow(session: session, input: input)
            if let expires = presign { return .text(try request.presign(expires: expires) + "\n") }
            if dryRun { return .text(try request.dryRun()) }
            do { return .bytes(try request.send(include: include), json: nil) } catch let failed as RequestFailed {
                StandardStream.output.write(bytes: failed.output)
                throw failed.error
            }
        }
    }
}
