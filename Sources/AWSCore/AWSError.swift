/// Every failure the core library reports, by kind; the CLI maps each kind to an exit code.
public enum AWSError: Error, Sendable, CustomStringConvertible {
    /// The service answered with an error.
    case service(AWSServiceError)
    /// No answer: connection, DNS, TLS or timeout.
    case transport(TransportError)
    /// No usable credentials could be found.
    case noCredentials(String)
    /// Credentials were found but cannot be used (malformed, expired).
    case invalidCredentials(String)
    /// Configuration or input that cannot be used.
    case configuration(ConfigurationError)
    /// A 2xx answer that could not be read.
    case invalidResponse(operation: String, detail: String)
    /// What was asked for is not there, found out by looking (an empty parameter path).
    case notFound(String)

    public var description: String {
        switch self {
        case .service(let e): return e.description
        case .transport(let e): return e.description
        case .noCredentials(let m), .invalidCredentials(let m): return m
        case .configuration(let e): return e.description
        case .invalidResponse(let op, let detail): return "\(op): unreadable response: \(detail)"
        case .notFound(let m): return m
        }
    }
}
