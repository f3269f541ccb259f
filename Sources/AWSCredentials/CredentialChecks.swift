import AWSCore
import SigV4

/// What every set of credentials must satisfy before it signs anything, whichever provider
/// found it (the environment, a file, a process, a container or metadata answer, the cache):
/// no control character (a CR or LF in a key id or token would split a header on the wire), and
/// not already expired (botocore refuses credentials still expired after a refresh).
public enum CredentialChecks {
    public static func usable(_ credentials: Credentials, from provider: Provenance.Provider, now: Int) throws(AWSError) -> Credentials {
        let s = credentials.signing
        // The provenance usually starts with the provider's name: say it once.
        let summary = credentials.provenance.summary
        let origin = summary.hasPrefix(provider.rawValue) ? summary : "\(provider) (\(summary))"
        if let field = fieldWithControlCharacter(s) {
            throw .invalidCredentials(
                "the \(field) from \(origin) contains a control character (CR, LF, NUL, …); nothing was sent. Check how it was copied")
        }
        if let expiration = credentials.expiration, expiration <= now {
            throw .invalidCredentials(
                "the credentials from \(origin) expired at \(Timestamp.format(expiration)); refresh them at their source")
        }
        return credentials
    }

    /// The name of the first field holding a control character, or nil when none does.
    public static func fieldWithControlCharacter(_ s: SigningCredentials) -> String? {
        let fields = [("access key id", s.accessKeyId), ("secret access key", s.secretAccessKey), ("session token", s.sessionToken ?? "")]
        return fields.first { $0.1.utf8.contains(where: HeaderRules.isForbiddenInValue) }?.0
    }
}
