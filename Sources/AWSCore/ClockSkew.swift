import Synchronization
import SigV4

/// The correction applied to the local clock when signing, learnt from a server's `Date`
/// header after it refused a request as skewed.
public final class ClockSkew: Sendable {
    /// Codes that say the signing time is off.
    public static let skewErrorCodes: Set<String> = ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException.RequestExpired"]
    /// Codes that may hide a skewed clock.
    public static let possibleSkewErrorCodes: Set<String> = ["SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure"]
    /// Offsets below this are not worth correcting (and a server's clock is only second-accurate).
    public static let minimumCorrection = 60
    /// For the codes that only may hide skew, correct only a large offset.
    public static let largeSkew = 300

    private let offset = Mutex<Int>(0)

    public init(initialOffset: Int = 0) {
        offset.withLock { $0 = initialOffset }
    }

    public var seconds: Int { offset.withLock { $0 } }

    /// The signing time now, corrected.
    public func now() -> SigningDate { SigningDate.now(offset: seconds) }

    /// Looks at a refused request: if its error says the clock is off and the response's `Date`
    /// shows by how much, records the new offset and returns true (the request is worth one more try).
    public func learn(from error: AWSServiceError, response: HTTPResponse, signedAt: SigningDate) -> Bool {
        let threshold: Int
        if Self.skewErrorCodes.contains(error.code) { threshold = Self.minimumCorrection }
        else if Self.possibleSkewErrorCodes.contains(error.code) { threshold = Self.largeSkew }
        else { return false }
        guard let dateHeader = response.header("Date"), let serverTime = HTTPDate.parse(dateHeader) else { return false }
        let localTime = signedAt.secondsSince1970 - seconds
        let newOffset = serverTime - localTime
        guard abs(newOffset - seconds) >= threshold else { return false }
        offset.withLock { $0 = newOffset }
        return true
    }
}
