#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--debug` output on stderr. Everything it prints goes through `Redaction` first, and then
/// `PrintableText`: a header or message a server or file supplied cannot drive the terminal.
public struct DebugLog: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public static let off = DebugLog(enabled: false)

    public func callAsFunction(_ message: @autoclosure () -> String) {
        guard enabled else { return }
        StandardStream.error.write("debug: \(PrintableText.escapedKeepingLines(message()))\n")
    }

    public func request(_ request: HTTPRequest, attempt: Int) {
        guard enabled else { return }
        var lines = ["debug: > \(request.method) \(PrintableText.escaped("\(request.url)")) (attempt \(attempt))"]
        for (name, value) in request.headers {
            lines.append("debug: > \(PrintableText.escaped(name)): \(PrintableText.escaped(Redaction.headerValue(name: name, value: value)))")
        }
        lines.append("debug: > body: \(request.body.count) bytes (not shown)")
        StandardStream.error.write(lines.joined(separator: "\n") + "\n")
    }

    public func response(_ response: HTTPResponse, elapsed: Double) {
        guard enabled else { return }
        var lines = ["debug: < HTTP \(response.status) after \(Int(elapsed * 1000)) ms"]
        for (name, value) in response.headers {
            lines.append("debug: < \(PrintableText.escaped(name)): \(PrintableText.escaped(Redaction.headerValue(name: name, value: value)))")
        }
        lines.append("debug: < body: \(response.body.count) bytes (not shown)")
        StandardStream.error.write(lines.joined(separator: "\n") + "\n")
    }
}
