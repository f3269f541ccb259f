/// Error codes credctl acts on, named once. Sets of codes (throttling, credential errors,
/// clock skew) live with the rule that uses them (`RetryPolicy`, `AWSServiceError`, `ClockSkew`).
public struct AWSErrorCode: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // IAM
    public static let noSuchEntity = AWSErrorCode("NoSuchEntity")
    public static let entityAlreadyExists = AWSErrorCode("EntityAlreadyExists")
    public static let limitExceeded = AWSErrorCode("LimitExceeded")
    public static let deleteConflict = AWSErrorCode("DeleteConflict")
    // SSM
    public static let parameterNotFound = AWSErrorCode("ParameterNotFound")
    public static let parameterAlreadyExists = AWSErrorCode("ParameterAlreadyExists")
    // Secrets Manager and other JSON services
    public static let resourceNotFound = AWSErrorCode("ResourceNotFoundException")
    public static let resourceExists = AWSErrorCode("ResourceExistsException")
    public static let invalidRequest = AWSErrorCode("InvalidRequestException")
    // Credentials (STS and every service)
    public static let invalidClientTokenId = AWSErrorCode("InvalidClientTokenId")
    public static let invalidAccessKeyId = AWSErrorCode("InvalidAccessKeyId")
    public static let signatureDoesNotMatch = AWSErrorCode("SignatureDoesNotMatch")
    public static let expiredToken = AWSErrorCode("ExpiredToken")
    public static let expiredTokenException = AWSErrorCode("ExpiredTokenException")
    public static let authFailure = AWSErrorCode("AuthFailure")
    public static let unrecognizedClient = AWSErrorCode("UnrecognizedClientException")
    public static let accessDenied = AWSErrorCode("AccessDenied")
    public static let accessDeniedException = AWSErrorCode("AccessDeniedException")
    public static let unauthorizedOperation = AWSErrorCode("UnauthorizedOperation")
    public static let unauthorizedException = AWSErrorCode("UnauthorizedException")
    // Clock skew
    public static let requestTimeTooSkewed = AWSErrorCode("RequestTimeTooSkewed")
    public static let requestExpired = AWSErrorCode("RequestExpired")
    public static let requestInTheFuture = AWSErrorCode("RequestInTheFuture")
}

extension AWSServiceError {
    /// Whether the answer carries `code`.
    public func `is`(_ code: AWSErrorCode) -> Bool { self.code == code.rawValue }
}

extension AWSError {
    /// Whether this is a service answer carrying `code`.
    public func isService(_ code: AWSErrorCode) -> Bool {
        if case .service(let e) = self { return e.is(code) }
        return false
    }
}
