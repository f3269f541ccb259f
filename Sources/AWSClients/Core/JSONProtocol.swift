import AWSCore

/// The JSON protocols: a POST of a JSON document with `X-Amz-Target: Prefix.Operation`,
/// `application/x-amz-json-1.1` (SSM, Secrets Manager) or `-1.0` (DynamoDB).
public struct JSONProtocol: Sendable {
    public let client: AWSClient
    public let endpoint: ResolvedEndpoint
    public let service: AWSService
    public let targetPrefix: String
    public let jsonVersion: String

    public init(client: AWSClient, endpoint: ResolvedEndpoint, service: AWSService, targetPrefix: String, jsonVersion: String) {
        self.client = client
        self.endpoint = endpoint
        self.service = service
        self.targetPrefix = targetPrefix
        self.jsonVersion = jsonVersion
    }

    public func call(_ operation: some ServiceOperation, _ input: JSONValue = .object([])) throws(AWSError) -> JSONValue {
        let request = HTTPRequest(method: "POST", url: endpoint.url,
                                  headers: [("Content-Type", "application/x-amz-json-\(jsonVersion)"),
                                            ("X-Amz-Target", "\(targetPrefix).\(operation.name)")],
                                  body: Array(input.serialized().utf8), safety: operation.safety)
        let name = "\(service.signingName):\(operation.name)"
        let response = try client.send(request, service: service.signingName, signingRegion: endpoint.signingRegion, operation: name)
        if response.body.isEmpty { return .object([]) }
        do { return try JSONValue.parse(response.body) } catch {
            throw .invalidResponse(operation: name, detail: error.description)
        }
    }
}
