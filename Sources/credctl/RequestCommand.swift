import ArgumentParser
import AWSCore
import SigV4
import Workflows

struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send a SigV4-signed HTTP request to any AWS API (like awscurl).",
        discussion: """
            The URL is taken as typed: percent-encode it as the service expects, as with curl.
            The method defaults to GET, or POST when -d is given; -d without a Content-Type header
            sends application/x-www-form-urlencoded, as curl does. The service and region are read
            from an amazonaws.com host name unless given. Prints the response body; a non-2xx answer
            also prints the error on stderr and exits 4 (3 when AWS rejects the credentials).

            --dry-run prints the canonical request, the string to sign and the signed headers
            without sending (the session token is shown as <redacted>). --presign SECONDS prints a
            presigned URL (signature in the query string) instead of sending. --signing-time fixes the
            signing time (20150830T123600Z or 2015-08-30T12:36:00Z) so a signature can be reproduced.

            \(ExitStatus.helpText)
            """
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
        for h in headers where h.firstIndex(of: ":") == nil {
            throw ValidationError("-H '\(h)' is not 'Name: value'")
        }
        if let m = method, m.isEmpty || !m.allSatisfy({ $0.isLetter }) {
            throw ValidationError("-X '\(m)' is not an HTTP method")
        }
        if let p = presign, !(1...604_800).contains(p) {
            throw ValidationError("--presign \(p): a presigned URL lives 1 to 604800 seconds (7 days)")
        }
        if let t = signingTime, Self.parseSigningTime(t) == nil {
            throw ValidationError("--signing-time '\(t)' is not 20150830T123600Z or 2015-08-30T12:36:00Z")
        }
    }

    static func parseSigningTime(_ text: String) -> SigningDate? {
        SigningDate(amzDate: text) ?? Timestamp.parse(text).map { SigningDate(secondsSince1970: $0) }
    }

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let spec = try makeSpec(session: session)
            let credentials = try session.resolveCredentials().credentials
            let client = try session.client()
            if let expires = presign {
                let url = SignedRequest.presign(spec, credentials: credentials.signing, expires: expires,
                                                at: spec.signingTime ?? client.clock.now())
                StandardStream.output.write("\(url)\n")
                return
            }
            if dryRun {
                let (request, signature) = try SignedRequest.sign(spec, client: client)
                StandardStream.output.write(Self.dryRunText(request: request, signature: signature, token: credentials.signing.sessionToken))
                return
            }
            let response = try SignedRequest.send(spec, client: client)
            if include {
                var head = "HTTP \(response.status)\n"
                for (n, v) in response.headers { head += "\(n): \(v)\n" }
                StandardStream.output.write(head + "\n")
            }
            StandardStream.output.write(bytes: response.body)
            guard response.isSuccess else {
                throw AWSError.service(ErrorBodyParser.parse(response, operation: "\(spec.service):\(spec.method)"))
            }
        }
    }

    func makeSpec(session: AWSSession) throws -> SignedRequestSpec {
        let parsed: RequestURL
        do { parsed = try RequestURL(parsing: url) } catch { throw CommandInputError(error.description) }
        let inferred = SignedRequestSpec.inferServiceAndRegion(host: parsed.host)
        guard let service = service ?? inferred?.service else {
            throw CommandInputError("cannot tell the service from '\(parsed.host)': pass --service (e.g. --service sts)")
        }
        var headerPairs: [(name: String, value: String)] = headers.map { h in
            let colon = h.firstIndex(of: ":")!
            return (String(h[..<colon]).trimmingSpaces(), String(h[h.index(after: colon)...]).trimmingSpaces())
        }
        var body: [UInt8] = []
        if let data {
            body = try Self.readBody(data)
            if !headerPairs.contains(where: { $0.name.lowercased() == "content-type" }) {
                headerPairs.append(("Content-Type", "application/x-www-form-urlencoded"))
            }
        }
        // --region, else the host's region, else the resolved region, else us-east-1.
        let region = global.region ?? inferred?.region ?? session.region?.name ?? "us-east-1"
        return SignedRequestSpec(url: parsed, method: (method ?? (data == nil ? "GET" : "POST")).uppercased(),
                                 headers: headerPairs, body: body, service: service, region: region,
                                 signingTime: signingTime.flatMap(Self.parseSigningTime), unsignedPayload: unsignedPayload)
    }

    static func readBody(_ data: String) throws -> [UInt8] {
        guard data.hasPrefix("@") else { return Array(data.utf8) }
        let path = String(data.dropFirst())
        return try InputFile.read(path, label: "-d @\(path)")
    }

    static func dryRunText(request: HTTPRequest, signature: SigV4Signer.Signature?, token: String?) -> String {
        func hide(_ s: String) -> String {
            guard let token, !token.isEmpty else { return s }
            return s.replacingAll(token, with: "<redacted>")
        }
        guard let signature else { return "(no credentials: the request would be sent unsigned)\n" }
        var out = "Canonical request:\n\(hide(signature.canonicalRequest))\n\nString to sign:\n\(signature.stringToSign)\n\n"
        out += "Signed headers: \(signature.signedHeaders)\n\nRequest:\n\(request.method) \(request.url)\n"
        for (n, v) in request.headers { out += "\(n): \(hide(v))\n" }
        return out
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return result + rest
    }
}
