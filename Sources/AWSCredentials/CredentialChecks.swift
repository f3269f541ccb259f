import AWSCore

/// What every set of credentials must satisfy before it signs anything, whichever provider
/// found it (the environment, a file, a process, a container or metadata answer, the cache):
/// no control character (a CR or LF in a key id or token would split a header on the wire), and
/// not already expired (botocore refuses credentials still expired after a refresh).
public enum CredentialChecks {
    public static func usable(_ credentials: Credentials, from provider: String, now: Int) throws(AWSError) -> Credentials {
        let s = credentials.signing
        let fields = [("access key id", s.accessKeyId), ("secret access key", s.secretAccessKey), ("session token", s.sessionToken ?? "")]
        for (field, value) in fields where value.utf8.contains(where: HeaderRules.isForbiddenInValue) {
            throw .invalidCredentials(
                "the \(field) from \(provider) (\(credentials.provenance.summary)) contains a control character (CR, LF, NUL, …); nothing was sent. Check how it was copied")
        }
        if let expiration = credentials.expiration, expiration <= now {
            throw .invalidCredentials(
                "the credentials from \(provider) (\(credentials.provenance.summary)) expired at \(Timestamp.format(expiration)); refresh them at their source")
        }
        return credentials
    }
}
