import AWSCore
import SigV4

/// The REST-JSON protocol as IAM Identity Center's two services use it: the operation is the
/// method and path, inputs go in the query string, headers and a JSON body, and nothing is
/// signed (the portal takes a bearer token in a header instead). Error answers are read like
/// botocore's rest-json parser: the code from `x-amzn-ErrorType` (or the body), the message
/// from `message`, or SSO-OIDC's OAuth `error_description`.
public struct RESTJSONProtocol: Sendable {
    public let client: AWSClient
    public let endpoint: ResolvedEndpoint
    public let service: AWSService

    /// `client` must carry no credentials: these calls are never signed.
    public init(client: AWSClient, endpoint: ResolvedEndpoint, service: AWSService) {
        self.client = client
        self.endpoint = endpoint
        self.service = service
    }

    public func call(_ operation: some ServiceOperation, method: String, path: String, query: [(String, String)] = [],
                     headers: [(name: String, value: String)] = [], body: JSONValue? = nil) throws(AWSError) -> JSONValue {
        let name = "\(service.signingName):\(operation.name)"
        var allHeaders = headers
        var bytes: [UInt8] = []
        if let body {
            allHeaders.append((name: "Content-Type", value: "application/json"))
            bytes = Array(body.serialized().utf8)
        }
        let url = endpoint.url.with(path: Self.join(endpoint.url.path, path), query: Self.encode(query))
        let response = try client.send(HTTPRequest(method: method, url: url, headers: allHeaders, body: bytes, safety: operation.safety),
                                       service: service.signingName, signingRegion: endpoint.signingRegion, operation: name,
                                       options: AWSClient.SendOptions(returnErrorResponses: true))
        guard response.isSuccess else { throw .service(Self.error(response, operation: name)) }
        if response.body.isEmpty { return .object([]) }
        do { return try JSONValue.parse(response.body) } catch {
            throw .invalidResponse(operation: name, detail: error.description)
        }
    }

    /// The service error, with SSO-OIDC's `error_description` as the message when there is no other.
    static func error(_ response: HTTPResponse, operation: String) -> AWSServiceError {
        var error = ErrorBodyParser.parse(response, operation: operation)
        if error.message.isEmpty, let json = try? JSONValue.parse(response.body), let text = json["error_description"]?.stringValue {
            error.message = text
        }
        return error
    }

    /// The endpoint's own path (an `AWS_ENDPOINT_URL_SSO` may have one) followed by the operation's.
    static func join(_ base: String, _ path: String) -> String {
        base == "/" || base.isEmpty ? path : String(base.hasSuffix("/") ? base.dropLast() : Substring(base)) + path
    }

    /// `name=value&…`, each part percent-encoded.
    static func encode(_ query: [(String, String)]) -> String {
        query.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
    }
}
