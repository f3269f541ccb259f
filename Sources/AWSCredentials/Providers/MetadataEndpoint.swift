import AWSCore

/// HTTP to the container and instance-metadata endpoints: short timeouts, never a proxy. Their
/// GETs and the IMDSv2 token PUT are idempotent.
struct MetadataEndpoint {
    let transport: any HTTPTransport

    init(timeout: Double, total: Double, context: CredentialContext) {
        transport = context.metadataTransport(TransportOptions(connectTimeout: timeout, readTimeout: timeout, totalTimeout: total))
    }

    func send(_ method: String, _ url: RequestURL, headers: [(name: String, value: String)]) throws(TransportError) -> HTTPResponse {
        var all = headers
        all.insert((name: "Host", value: url.hostHeader), at: 0)
        all.append((name: "User-Agent", value: "credctl/metadata"))
        return try transport.send(HTTPRequest(method: method, url: url, headers: all, safety: .idempotent))
    }
}
