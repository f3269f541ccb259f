/// The exit codes of the core's errors (docs/exit-codes.md).

extension AWSError: ReportableError {
    public var exitStatus: ExitStatus {
        switch self {
        case .service(let e): return e.exitStatus
        case .transport(let t): return t.exitStatus
        case .noCredentials, .invalidCredentials: return .credentials
        case .configuration: return .usage
        case .invalidResponse, .notFound: return .serviceRefused
        }
    }
}

extension AWSServiceError: ReportableError {
    public var exitStatus: ExitStatus { isCredentialError ? .credentials : .serviceRefused }
}

extension TransportError: ReportableError {
    public var exitStatus: ExitStatus {
        switch kind {
        // An answer that came but cannot be used is the service's fault, like an unreadable one.
        case .responseTooLarge: return .serviceRefused
        // Refused before sending (a control character in a header): the input's fault.
        case .invalidRequest: return .usage
        default: return .network
        }
    }
}

extension ConfigurationError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

/// Malformed JSON or XML reaching the CLI is an answer that cannot be read (input files are
/// reported with their own errors, which name the file).
extension JSONParseError: ReportableError {
    public var exitStatus: ExitStatus { .serviceRefused }
}

extension XMLParseError: ReportableError {
    public var exitStatus: ExitStatus { .serviceRefused }
}

extension RequestURL.ParseError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

// Platform's errors: a file that cannot be read or written, a lock, a program that cannot be run.

extension LocalFile.ReadError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

extension SecretFile.WriteError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

extension Subprocess.LaunchError: ReportableError {
    public var exitStatus: ExitStatus { .usage }
}

extension FileLock.Failure: ReportableError {
    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        switch self {
        case .held(let pid): return "the lock is held by another process\(pid.map { " (pid \($0))" } ?? "")"
        case .unusable(let path, let reason): return "cannot use the lock \(path): \(reason)"
        }
    }
}

extension LoopbackRedirectListener.OpenError: ReportableError {
    /// No loopback port to listen on: the machine's, like a lock or a file that cannot be had.
    public var exitStatus: ExitStatus { .usage }
}
