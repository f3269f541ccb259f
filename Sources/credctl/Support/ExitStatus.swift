import ArgumentParser
import AWSCore
import Workflows

/// credctl's documented exit codes, and the one mapping from every error to its code.
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
        case .transport(let t):
            switch t.kind {
            // An answer that came but cannot be used is the service's fault, like an unreadable one.
            case .responseTooLarge: return .serviceRefused
            // Refused before sending (a control character in a header): the input's fault.
            case .invalidRequest: return .usage
            default: return .network
            }
        case .noCredentials, .invalidCredentials: return .credentials
        case .configuration: return .usage
        case .invalidResponse, .notFound: return .serviceRefused
        }
    }

    static let helpText = """
        EXIT CODES:
          0  success
          1  a check found problems
          2  bad usage or input (malformed config files and unknown profiles included)
          3  no credentials, or AWS refused them (unknown key, wrong secret, expired)
          4  the service refused (access denied, not found, throttled past every retry)
          5  network failure or timeout
        """
}

/// Input a command found unusable after parsing (exit 2).
struct CommandInputError: Error {
    var message: String
    /// What to do instead (`did you mean …?`), printed as the `hint:` line.
    var hint: String?
    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// Every error, usage errors from argument parsing included, as one `credctl: error:` line on
/// stderr (control characters escaped), at most one `hint:` line, and its exit code.
enum ErrorReport {
    static func message(for error: Error) -> (message: String, hint: String?, status: Int32) {
        switch error {
        case let e as AWSError: return (e.description, nil, ExitStatus.of(e).rawValue)
        case let e as RotationError:
            switch e {
            case .refused, .rolledBack: return (e.description, e.left, ExitStatus.checkFailed.rawValue)
            case .stopped(let underlying, _): return (e.description, e.left, ExitStatus.of(underlying).rawValue)
            }
        case let e as OperationStopped: return (e.description, e.left, ExitStatus.of(e.error).rawValue)
        case let e as CommandInputError: return (e.message, e.hint, ExitStatus.usage.rawValue)
        case let e as ExecFailure: return (e.description, nil, ExecFailure.exitStatus)
        case let e as ReportedFailure: return message(for: e.error)
        default:
            // swift-argument-parser's usage errors: its message, on one line.
            let text = Credctl.message(for: error)
            let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            var first = lines.first.map { $0.hasPrefix("Error: ") ? String($0.dropFirst(7)) : $0 } ?? "\(error)"
            // "…one of the following:" keeps its list, on the same line.
            let choices = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
            if first.hasSuffix(":"), !choices.isEmpty { first += " " + choices.joined(separator: ", ") }
            let help = lines.dropFirst().first { $0.hasPrefix("Help:") || $0.hasPrefix("Usage:") }
            return (shorteningQuotedValues(first), help.map { "\($0); see credctl help" }, ExitStatus.usage.rawValue)
        }
    }

    /// The parser quotes a refused value whole ("The value '…' is invalid for '--limit'"): a
    /// value of 10,000 characters is cut to its first 24, as credctl's own messages quote.
    static func shorteningQuotedValues(_ message: String) -> String {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return message }
        return parts.enumerated().map { i, part in
            i % 2 == 1 && i < parts.count - 1 && part.count > 40 ? part.prefix(24) + "…" : part
        }.joined(separator: "'")
    }

    /// Prints the error and returns the exit code.
    static func report(_ error: Error) -> Int32 {
        let (message, hint, status) = self.message(for: error)
        var text = "credctl: error: \(PrintableText.escaped(message))\n"
        if let hint { text += "hint: \(PrintableText.escaped(hint))\n" }
        StandardStream.error.write(text)
        return status
    }
}
