import AWSClients
import AWSCore
import SigV4

/// `credctl request`: a signed request to any AWS API, from the command's words.
public struct RequestWorkflow: Sendable {
    /// What the command line says, as typed.
    public struct Input: Sendable {
        public var url: String
        public var method: String?
        /// `Name: value` lines.
        public var headers: [String]
        /// The body's bytes and whether it came from a file (`-d @FILE`).
        public var body: (bytes: [UInt8], fromFile: Bool)?
        public var service: String?
        public var region: String?
        public var signingTime: String?
        public var unsignedPayload: Bool

        public init(url: String, method: String?, headers: [String], body: (bytes: [UInt8], fromFile: Bool)?, service: String?,
                    region: String?, signingTime: String?, unsignedPayload: Bool) {
            self.url = url
            self.method = method
            self.headers = headers
            self.body = body
            self.service = service
            self.region = region
            self.signingTime = signingTime
            self.unsignedPayload = unsignedPayload
        }
    }

    public let session: AWSSession
    public let spec: SignedRequestSpec

    public init(session: AWSSession, input: Input) throws(AWSError) {
        self.session = session
        // The session's region (perhaps from instance metadata) only when neither --region nor the
        // host names one (and the URL is one: spec refuses it otherwise).
        let url = try? RequestURL(parsing: input.url)
        let needsRegion = url != nil && input.region == nil && url.flatMap { SignedRequestSpec.inferServiceAndRegion(host: $0.host)?.region } == nil
        spec = try Self.spec(input, resolvedRegion: needsRegion ? try session.region?.name : nil)
    }

    /// Every check of the words, before anything is resolved: the URL, the method, each header
    /// (a CR, LF or other control character in a value is refused: it would add a header), the
    /// signing time. The Content-Type chosen when none is given never changes what the service
    /// stores: a POST gets curl's form type (what query APIs expect, as curl sends `-d`); any
    /// other method's body (a file PUT to S3) is sent as `application/octet-stream`, byte for byte.
    public static func spec(_ input: Input, resolvedRegion: String?) throws(AWSError) -> SignedRequestSpec {
        func fail(_ m: String) -> AWSError { .configuration(ConfigurationError(m)) }
        let url: RequestURL
        do { url = try RequestURL(parsing: input.url) } catch { throw fail(error.description) }
        let method = (input.method ?? (input.body == nil ? "GET" : "POST")).uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw fail("-X '\(PrintableText.escaped(input.method ?? ""))' is not an HTTP method")
        }
        var headers: [(name: String, value: String)] = []
        for line in input.headers {
            guard let colon = line.firstIndex(of: ":") else { throw fail("-H '\(PrintableText.escaped(String(line.prefix(40))))' is not 'Name: value'") }
            let name = String(line[..<colon]).trimmingSpaces(), value = String(line[line.index(after: colon)...]).trimmingSpaces()
            if let problem = HeaderRules.problem(name: name, value: value) { throw fail("-H: \(problem)") }
            headers.append((name, value))
        }
        let inferred = SignedRequestSpec.inferServiceAndRegion(host: url.host)
        guard let service = input.service ?? inferred?.service else {
            throw fail("cannot tell the service from '\(url.host)': pass --service (e.g. --service sts)")
        }
        if let body = input.body, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            _ = body
            headers.append(("Content-Type", method == "POST" ? "application/x-www-form-urlencoded" : "application/octet-stream"))
        }
        var signingTime: SigningDate?
        if let t = input.signingTime {
            guard let parsed = SigningDate(amzDate: t) ?? Timestamp.parse(t).map({ SigningDate(secondsSince1970: $0) }) else {
                throw fail("--signing-time '\(PrintableText.escaped(String(t.prefix(24))))' is not 20150830T123600Z or 2015-08-30T12:36:00Z")
            }
            signingTime = parsed
        }
        // --region, else the host's region, else the resolved region, else us-east-1.
        let region = input.region ?? inferred?.region ?? resolvedRegion ?? "us-east-1"
        return SignedRequestSpec(url: url, method: method, headers: headers, body: input.body?.bytes ?? [], service: service,
                                 region: region, signingTime: signingTime, unsignedPayload: input.unsignedPayload)
    }

    /// A presigned URL valid for `expires` seconds.
    public func presign(expires: Int) throws(AWSError) -> String {
        let client = try session.client()
        guard let credentials = try client.currentCredentials() else { throw .noCredentials("no credentials to presign with") }
        return SignedRequest.presign(spec, credentials: credentials, expires: expires, at: spec.signingTime ?? client.clock.now()).description
    }

    /// The canonical request, string to sign and signed request, the session token hidden.
    public func dryRun() throws(AWSError) -> String {
        let client = try session.client()
        let token = try client.currentCredentials()?.sessionToken
        let (request, signature) = try SignedRequest.sign(spec, client: client)
        func hide(_ s: String) -> String {
            guard let token, !token.isEmpty else { return s }
            return s.replacing(token, with: "<redacted>")
        }
        guard let signature else { return "(no credentials: the request would be sent unsigned)\n" }
        var out = "Canonical request:\n\(hide(signature.canonicalRequest))\n\nString to sign:\n\(signature.stringToSign)\n\n"
        out += "Signed headers: \(signature.signedHeaders)\n\nRequest:\n\(request.method) \(request.url)\n"
        for (n, v) in request.headers { out += "\(n): \(hide(v))\n" }
        return out
    }

    /// Sends it; the answer's bytes (with the status line and headers first when `include`).
    /// A non-2xx answer's body is printed, then its error reported (exit 4, or 3 for credentials).
    public func send(include: Bool) throws -> [UInt8] {
        let response = try SignedRequest.send(spec, client: try session.client())
        var out: [UInt8] = []
        if include {
            var head = "HTTP \(response.status)\n"
            // Header lines are this command's own report: escaped. The body is printed as it came.
            for (n, v) in response.headers { head += "\(PrintableText.escaped(n)): \(PrintableText.escaped(v))\n" }
            out += Array((head + "\n").utf8)
        }
        out += response.body
        guard response.isSuccess else {
            throw RequestFailed(output: out, error: .service(ErrorBodyParser.parse(response, operation: "\(spec.service):\(spec.method)")))
        }
        return out
    }
}

/// A non-2xx answer: its bytes are printed (like curl), then the error.
public struct RequestFailed: ReportableError {
    public var output: [UInt8]
    public var error: AWSError

    public var description: String { error.description }
    public var exitStatus: ExitStatus { error.exitStatus }
}
