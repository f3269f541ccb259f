import AWSCore

/// Answers in the two wire formats the fakes speak, shaped as the services send them.
public enum QueryAnswer {
    /// `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`.
    public static func ok(_ action: String, _ resultXML: String, namespace: String = "https://iam.amazonaws.com/doc/2010-05-08/") -> HTTPResponse {
        let body = "<\(action)Response xmlns=\"\(namespace)\"><\(action)Result>\(resultXML)</\(action)Result>"
            + "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></\(action)Response>"
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(body.utf8))
    }

    /// An answer with no result element (IAM's `DeleteAccessKey`, `UpdateAccessKey`, …).
    public static func empty(_ action: String, namespace: String = "https://iam.amazonaws.com/doc/2010-05-08/") -> HTTPResponse {
        let body = "<\(action)Response xmlns=\"\(namespace)\"><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></\(action)Response>"
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(body.utf8))
    }

    /// `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
    public static func error(_ code: String, _ message: String, status: Int, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        let type = status >= 500 ? "Receiver" : "Sender"
        let body = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>\(type)</Type><Code>\(code)</Code>"
            + "<Message>\(XMLDocument.escape(message))</Message></Error><RequestId>7a62c49f-EXAMPLE</RequestId></ErrorResponse>"
        return HTTPResponse(status: status, headers: [("Content-Type", "text/xml")] + headers, body: Array(body.utf8))
    }

    /// `<Name>text</Name>`, the text escaped.
    public static func element(_ name: String, _ text: String) -> String { "<\(name)>\(XMLDocument.escape(text))</\(name)>" }
}

public enum JSONAnswer {
    public static func ok(_ value: JSONValue, contentType: String = "application/x-amz-json-1.1") -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: Array(value.serialized().utf8))
    }

    /// `{"__type": "…", "message": "…"}`, as the JSON-protocol services send errors.
    public static func error(_ code: String, _ message: String, status: Int = 400) -> HTTPResponse {
        let body = JSONValue.object([("__type", .string(code)), ("message", .string(message))])
        return HTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array(body.serialized().utf8))
    }
}

/// A failure a fake can answer with instead of (or after) doing what was asked.
public enum FakeFailure: Sendable, Equatable {
    /// HTTP 500 with the service's internal-error code.
    case http500
    /// The connection dropped after the request went out (`connectionReset`, connected).
    case reset
    /// No answer within the read timeout (connected).
    case timeout
    /// No connection was ever made (`connectionFailed`, not connected).
    case connectionRefused
    /// A service error answer with this code and status.
    case serviceError(code: String, status: Int)

    /// The transport error, for the failures that have no HTTP answer.
    public var transportError: TransportError? {
        switch self {
        case .reset: return TransportError(kind: .connectionReset, host: "fake", detail: "connection reset by peer", connected: true)
        case .timeout: return TransportError(kind: .timeout, host: "fake", detail: "read timed out", connected: true)
        case .connectionRefused: return TransportError(kind: .connectionFailed, host: "fake", detail: "connection refused", connected: false)
        case .http500, .serviceError: return nil
        }
    }
}
