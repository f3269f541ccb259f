import AWSCore
import AWSClients
import SigV4

/// `request`: a signed HTTP request to any AWS API, like awscurl.
public struct SignedRequestSpec: Sendable {
    public var url: RequestURL
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var service: String
    public var region: String
    public var signingTime: SigningDate?
    public var unsignedPayload: Bool

    /// GET, HEAD, OPTIONS, PUT and DELETE are idempotent by HTTP's rules; anything else (a
    /// query-protocol POST may be CreateAccessKey) is sent at most once.
    public var safety: RepeatSafety {
        ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].contains(method.uppercased()) ? .idempotent : .notIdempotent
    }

    public init(url: RequestURL, method: String, headers: [(name: String, value: String)], body: [UInt8],
                service: String, region: String, signingTime: SigningDate?, unsignedPayload: Bool) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.service = service
        self.region = region
        self.signingTime = signingTime
        self.unsignedPayload = unsignedPayload
    }

    /// The service and region a host under a partition's DNS suffix names (every partition of
    /// botocore's data: `amazonaws.com`, `amazonaws.com.cn`, `amazonaws.eu`, `c2s.ic.gov`, …):
    /// `sts.eu-west-1.amazonaws.com` gives (`sts`, `eu-west-1`), `iam.amazonaws.com` (`iam`, nil).
    public static func inferServiceAndRegion(host: String) -> (service: String, region: String?)? {
        guard Partition.dnsSuffixes.contains(where: { host.hasSuffix("." + $0) }) else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        guard let first = labels.first else { return nil }
        let region = labels.count >= 4 && labels[1].contains("-") ? labels[1] : nil
        return (first, region)
    }
}

public enum SignedRequest {
    /// Signs without sending (for `--dry-run`): what would be sent and how it was signed.
    public static func sign(_ spec: SignedRequestSpec, client: AWSClient) throws(AWSError) -> (request: HTTPRequest, signature: SigV4Signer.Signature?) {
        try client.sign(HTTPRequest(method: spec.method, url: spec.url, headers: spec.headers, body: spec.body, safety: spec.safety),
                    service: spec.service, region: spec.region, at: spec.signingTime ?? client.clock.now(),
                    unsignedPayload: spec.unsignedPayload)
    }

    /// A presigned URL valid for `expires` seconds: the signature in the query string, nothing sent.
    public static func presign(_ spec: SignedRequestSpec, credentials: SigningCredentials, expires: Int, at date: SigningDate) -> RequestURL {
        let signer = SigV4Signer(credentials: credentials, region: spec.region, service: spec.service)
        let headers = [(name: "Host", value: spec.url.hostHeader)] + spec.headers.filter { $0.name.lowercased() != "host" }
        let signature = signer.presign(SignableRequest(method: spec.method, path: spec.url.path, query: spec.url.query,
                                                       headers: headers, payload: spec.unsignedPayload ? .unsigned : .bytes(spec.body)),
                                       at: date, expires: expires)
        return spec.url.with(path: spec.url.path, query: signature.query)
    }

    /// Signs and sends (with retries, and clock-skew correction unless the signing time is
    /// fixed). Returns the final answer whatever its status.
    public static func send(_ spec: SignedRequestSpec, client: AWSClient) throws(AWSError) -> HTTPResponse {
        let request = HTTPRequest(method: spec.method, url: spec.url, headers: spec.headers, body: spec.body, safety: spec.safety)
        return try client.send(request, service: spec.service, signingRegion: spec.region,
                               operation: "\(spec.service):\(spec.method) \(spec.url.path)",
                               options: .init(signingTime: spec.signingTime, unsignedPayload: spec.unsignedPayload,
                                              returnErrorResponses: true))
    }
}
