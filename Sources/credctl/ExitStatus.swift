import ArgumentParser
import AWSCore
import Workflows

/// credctl's documented exit codes.
enum ExitStatus: Int32 {
    case ok = 0
    /// A check found problems.
    case checkFailed = 1
    /// Bad usage or input, including unusable configuration.
    case usage = 2
    /// No credentials, or credentials AWS does not accept.
    case credentials = 3
    /// The service refused: access denied, not found, throttled beyond the retry budget, …
    case serviceRefused = 4
    /// No answer: network, DNS, TLS or timeout.
    case network = 5

    static func of(_ error: AWSError) -> ExitStatus {
        switch error {
        case .service(let e): return e.isCredentialError ? .credentials : .serviceRefused
        // An answer that came but cannot be used is the service's fault, like an unreadable one.
        case .transport(let t): return t.kind == .responseTooLarge ? .serviceRefused : .network
        case .noCredentials, .invalidCredentials: return .credentials
        case .configuration: return .usage
        case .invalidResponse: return .serviceRefused
        }
    }

    static let helpText = """
        EXIT CODES:
          0  success
          1  a check found problems
          2  bad usage or input (including malformed config files and unknown profiles)
          3  no credentials, or credentials AWS rejects (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken, …)
          4  the AWS service refused (access denied, not found, throttled past the retry budget, …)
          5  network failure or timeout
        """
}

/// Runs a command body: library errors become a one-line message on stderr and their exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as AWSError {
        StandardStream.error.write("credctl: error: \(PrintableText.escaped(error.description))\n")
        throw ExitCode(ExitStatus.of(error).rawValue)
    } catch let error as RotationError {
        StandardStream.error.write("credctl: error: \(PrintableText.escaped(error.description))\n")
        if let left = error.left { StandardStream.error.write("hint: \(PrintableText.escaped(left))\n") }
        switch error {
        case .refused, .rolledBack: throw ExitCode(ExitStatus.checkFailed.rawValue)
        case .stopped(let underlying, _): throw ExitCode(ExitStatus.of(underlying).rawValue)
        }
    } catch let error as OperationStopped {
        StandardStream.error.write("credctl: error: \(PrintableText.escaped(error.description))\nhint: \(PrintableText.escaped(error.left))\n")
        throw ExitCode(ExitStatus.of(error.error).rawValue)
    } catch let error as CommandInputError {
        StandardStream.error.write("credctl: error: \(error.message)\n")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

/// Input a command found unusable after parsing (exit 2).
struct CommandInputError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
