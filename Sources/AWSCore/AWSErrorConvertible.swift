/// An error of a part below the workflows that stands for one of the core's kinds (`AWSError`).
/// Its `awsError` is declared once, beside the type, and keeps the error's message and exit code
/// (`ExitStatusTests` checks every conforming type). Code typed `throws(AWSError)` converts with
/// `catch { throw error.awsError }` and never builds the `AWSError` by hand.
public protocol AWSErrorConvertible: ReportableError {
    var awsError: AWSError { get }
}

extension AWSErrorConvertible {
    /// Bad input or configuration (exit 2), with this error's message.
    public var configurationError: AWSError { .configuration(ConfigurationError(description)) }
}

extension AWSError: AWSErrorConvertible {
    public var awsError: AWSError { self }
}

extension ConfigurationError: AWSErrorConvertible {
    public var awsError: AWSError { .configuration(self) }
}

extension AWSServiceError: AWSErrorConvertible {
    public var awsError: AWSError { .service(self) }
}

extension TransportError: AWSErrorConvertible {
    public var awsError: AWSError { .transport(self) }
}

extension RequestURL.ParseError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

// Platform's: a file that cannot be read or written, a lock, a program that cannot be run.

extension LocalFile.ReadError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

extension SecretFile.WriteError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

extension FileLock.Failure: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

extension Subprocess.LaunchError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

extension LoopbackRedirectListener.OpenError: AWSErrorConvertible {
    public var awsError: AWSError { configurationError }
}

extension AWSError {
    /// An error from code that throws untyped (a closure, `rethrows`): the `AWSError` its type
    /// stands for (`AWSErrorConvertible`), else bad input with its message.
    public init(_ error: any Error) {
        if let convertible = error as? any AWSErrorConvertible {
            self = convertible.awsError
        } else {
            self = .configuration(ConfigurationError("\(error)"))
        }
    }
}
