import AWSCore
import SecretCrypto

extension VaultError: ReportableError, AWSErrorConvertible {
    public var exitStatus: ExitStatus { awsError.exitStatus }
}

extension SecretCrypto.Failure: ReportableError {
    /// A tag that does not match is a wrong key (a credential failure); libcrypto refusing is
    /// the input's (parameters it does not take).
    public var exitStatus: ExitStatus {
        switch self {
        case .authenticationFailed: return .credentials
        case .libcrypto: return .usage
        }
    }

    public var description: String {
        switch self {
        case .authenticationFailed: return "the data could not be opened: a wrong key, or bytes changed since they were sealed"
        case .libcrypto(let reason): return "libcrypto: \(reason)"
        }
    }
}
