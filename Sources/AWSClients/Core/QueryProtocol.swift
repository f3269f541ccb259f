import AWSCore
import SigV4

/// The query protocol of STS and IAM: a form-encoded POST of `Action`, `Version` and the
/// parameters; an XML answer whose `<ActionResult>` holds the data.
public struct QueryProtocol: Sendable {
    public let client: AWSClient
    public let endpoint: ResolvedEndpoint
    public let service: AWSService
    public let version: String

    public init(client: AWSClient, endpoint: ResolvedEndpoint, service: AWSService, version: String) {
        self.client = client
        self.endpoint = endpoint
        self.service = service
        self.version = version
    }

    /// Calls `operation` and returns its `<ActionResult>` element (an empty one when the answer has none).
    public func call(_ operation: some ServiceOperation, _ parameters: [(String, String)] = []) throws(AWSError) -> XMLElement {
        let action = operation.name
        let label = "\(service.signingName):\(action)"
        let response = try client.send(request(operation, parameters), service: service.signingName,
                                       signingRegion: endpoint.signingRegion, operation: label)
        let root: XMLElement
        do { root = try XMLDocument.parse(response.body) } catch {
            throw .invalidResponse(operation: label, detail: error.description)
        }
        return root.child("\(action)Result") ?? XMLElement(name: "\(action)Result")
    }

    /// The unsigned POST for `operation`: what `call` sends, for callers that need the raw answer.
    public func request(_ operation: some ServiceOperation, _ parameters: [(String, String)] = []) -> HTTPRequest {
        let body = Self.formEncode([("Action", operation.name), ("Version", version)] + parameters)
        return HTTPRequest(method: "POST", url: endpoint.url,
                           headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                           body: Array(body.utf8), safety: operation.safety)
    }

    /// `application/x-www-form-urlencoded` as botocore writes it (Python's `urlencode`): RFC 3986
    /// percent-encoding, except that a space is `+`.
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        func encode(_ s: String) -> String { URIEncoding.encode(s).replacing("%20", with: "+") }
        return pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
