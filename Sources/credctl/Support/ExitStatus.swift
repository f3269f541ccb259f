import ArgumentParser
import AWSCore
import Workflows

extension ExitStatus {
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

/// Every error, usage errors from argument parsing included, as one `credctl: error:` line on
/// stderr (control characters escaped), at most one `hint:` line, and its exit code. Every error
/// type credctl throws knows its own (`ReportableError`); the mapping here is only for the
/// argument parser's errors.
enum ErrorReport {
    static func message(for error: Error) -> (message: String, hint: String?, status: Int32) {
        if let e = error as? any ReportableError { return (e.description, e.hint, e.exitStatus.rawValue) }
        return parserMessage(for: error)
    }

    /// swift-argument-parser's usage errors (exit 2): its message, on one line, and its usage or
    /// help line as the hint.
    static func parserMessage(for error: Error) -> (message: String, hint: String?, status: Int32) {
        let text = Credctl.message(for: error)
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        var first = lines.first.map { $0.hasPrefix("Error: ") ? String($0.dropFirst(7)) : $0 } ?? "\(error)"
        // "…one of the following:" keeps its list, on the same line.
        let choices = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        if first.hasSuffix(":"), !choices.isEmpty { first += " " + choices.joined(separator: ", ") }
        let help = lines.dropFirst().first { $0.hasPrefix("Help:") || $0.hasPrefix("Usage:") }
        return (shorteningQuotedValues(first), help.map { "\($0); see credctl help" }, ExitStatus.usage.rawValue)
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
