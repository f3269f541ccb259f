/// An error answer from an AWS service, whatever its wire format.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code without any `prefix#` or `:suffix` (e.g. `AccessDenied`).
    public var code: String
    public var message: String
    public var requestId: String?
    public var httpStatus: Int
    /// The operation that failed, e.g. `sts:GetCallerIdentity`.
    public var operation: String?

    public init(code: String, message: String, requestId: String? = nil, httpStatus: Int, operation: String? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.httpStatus = httpStatus
        self.operation = operation
    }

    public var description: String {
        var s = operation.map { "\($0): " } ?? ""
        s += message.isEmpty ? code : "\(code): \(message)"
        s += " (HTTP \(httpStatus)"
        if let requestId { s += ", request id \(requestId)" }
        return s + ")"
    }

    /// Codes that mean the credentials themselves are wrong, unknown or expired.
    public static let credentialErrorCodes: Set<String> = [
        "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
        "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "InvalidAccessKeyId",
        "AuthFailure", "InvalidToken", "TokenRefreshRequired", "RequestExpired",
    ]

    public var isCredentialError: Bool { Self.credentialErrorCodes.contains(code) }
}

/// Reads error bodies in any of the formats AWS (and moto) use: query XML
/// (`<ErrorResponse><Error><Code/>…`), REST XML (`<Error><Code/>…`), EC2 XML
/// (`<Response><Errors><Error>…`) and JSON (`__type`, `code`, `message`/`Message`), with the
/// `x-amzn-query-error` and `x-amzn-ErrorType` headers taking precedence where present.
public enum ErrorBodyParser {
    public static func parse(_ response: HTTPResponse, operation: String? = nil) -> AWSServiceError {
        var code: String?
        var message: String?
        var requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")

        let trimmed = response.body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "<"), let root = try? XMLDocument.parse(Array(trimmed)) {
            code = root.first("Code")?.text
            message = root.first("Message")?.text ?? root.first("message")?.text
            requestId = requestId ?? root.first("RequestId")?.text ?? root.first("RequestID")?.text
        } else if trimmed.first == UInt8(ascii: "{"), let json = try? JSONValue.parse(Array(trimmed)) {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? json["errorMessage"]?.stringValue
        }
        if let queryError = response.header("x-amzn-query-error"), let head = queryError.split(separator: ";").first, !head.isEmpty {
            code = String(head)
        } else if code == nil, let typeHeader = response.header("x-amzn-ErrorType") {
            code = typeHeader
        }
        // An empty or unusable code (`<Code></Code>`, `"__type": "#"`) is no code at all.
        if let c = code, sanitizeCode(c).isEmpty { code = nil }
        let cleanCode = code.map(sanitizeCode) ?? fallbackCode(status: response.status)
        let cleanMessage = message ?? (code == nil ? fallbackMessage(response) : "")
        return AWSServiceError(code: cleanCode, message: cleanMessage, requestId: requestId,
                               httpStatus: response.status, operation: operation)
    }

    /// `com.amazon.coral#AccessDeniedException` → `AccessDeniedException`;
    /// `ValidationException:http://internal.amazon.com/` → `ValidationException`.
    static func sanitizeCode(_ raw: String) -> String {
        var c = Substring(raw)
        if let hash = c.lastIndex(of: "#") { c = c[c.index(after: hash)...] }
        if let colon = c.firstIndex(of: ":") { c = c[..<colon] }
        return c.trimmingSpaces()
    }

    static func fallbackCode(status: Int) -> String {
        switch status {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "AccessDenied"
        case 404: return "NotFound"
        case 413: return "RequestEntityTooLarge"
        case 429: return "TooManyRequests"
        case 500: return "InternalFailure"
        case 502: return "BadGateway"
        case 503: return "ServiceUnavailable"
        case 504: return "GatewayTimeout"
        default: return "HTTP\(status)"
        }
    }

    /// The start of an unparseable body, printable characters only.
    static func fallbackMessage(_ response: HTTPResponse) -> String {
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        let printable = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) }
        let s = String(printable).trimmingSpaces()
        return s.isEmpty ? "HTTP \(response.status) with an empty body" : "HTTP \(response.status): \(s)"
    }
}
