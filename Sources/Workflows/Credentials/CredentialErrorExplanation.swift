import AWSCore

/// What the credential error codes mean and what to do about them, in one place for every
/// command that explains a refusal (`doctor`, `keys validate`).
public enum CredentialErrorExplanation {
    /// `code` in words; `skewed` when the local clock is known to be far off.
    public static func explain(_ code: String, skewed: Bool = false) -> String {
        switch AWSErrorCode(code) {
        case .invalidClientTokenId, .invalidAccessKeyId:
            return "AWS does not know this access key id (deleted, deactivated, mistyped, or from another partition such as China or GovCloud)"
        case .signatureDoesNotMatch:
            return skewed ? "the signature does not match; the clock is far off, which alone causes this"
                : "the secret access key does not belong to this key id (or the request was signed wrongly)"
        case .expiredToken, .expiredTokenException: return "the session token has expired"
        case .requestTimeTooSkewed, .requestExpired, .requestInTheFuture: return "the request's time is too far from AWS's clock"
        case .accessDenied: return "access denied (GetCallerIdentity needs no permission: an explicit deny or an SCP?)"
        default: return "AWS refused the credentials"
        }
    }

    /// What to do about `code`.
    public static func fix(_ code: String) -> String {
        switch AWSErrorCode(code) {
        case .invalidClientTokenId, .invalidAccessKeyId:
            return "check the key in the IAM console (credctl keys list), or create a new one; for a profile, check which file and line it came from"
        case .signatureDoesNotMatch: return "copy the secret access key again, whole (no quotes or trailing spaces); check the clock"
        case .expiredToken, .expiredTokenException: return "get new temporary credentials (credctl assume, credctl sso login, or refresh the role session)"
        case .requestTimeTooSkewed, .requestExpired, .requestInTheFuture: return "synchronise the clock"
        default: return "see the message above; credctl whoami --debug shows the request"
        }
    }
}
