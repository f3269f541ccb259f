import AWSCore

extension CredentialServerError: ReportableError {
    /// No first credentials: a credential failure; a socket or thread the server could not have: the machine's.
    public var exitStatus: ExitStatus {
        switch self {
        case .firstCredentials: return .credentials
        case .socket, .thread: return .usage
        }
    }
}

extension CredentialServerError: AWSErrorConvertible {
    public var awsError: AWSError {
        switch self {
        case .firstCredentials: return .noCredentials(description)
        case .socket, .thread: return configurationError
        }
    }
}
