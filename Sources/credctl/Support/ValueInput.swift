import ArgumentParser
import AWSCore
import AWSClients
import Synchronization
import Workflows

/// Where a secret value comes from: `--value-file FILE`, or standard input (`-` or no option).
/// Never the command line, where it would show in `ps` and shell history.
struct ValueInput: ParsableArguments {
    @Option(name: .customLong("value-file"), help: "Read the value from this file ('-' for standard input, the default).")
    var valueFile: String?

    @Flag(name: .customLong("keep-trailing-newline"), help: "Keep the input's final newline (by default one trailing newline is dropped, so `echo x |` stores x).")
    var keepTrailingNewline = false

    /// The value, as UTF-8 text. On a terminal, standard input is read as one line without
    /// echo, after a prompt naming `what`.
    func read(for what: String) throws -> String {
        var bytes: [UInt8]
        if let path = valueFile, path != "-" {
            bytes = try InputFile.read(path, label: "--value-file \(path)")
        } else if StandardStream.input.isTerminal {
            StandardStream.error.write("Value for \(what) (not shown): ")
            let line = StandardStream.input.readLineWithoutEcho()
            StandardStream.error.write("\n")
            bytes = Array((line ?? "").utf8)
        } else {
            bytes = try InputFile.read("-", label: "the value")
        }
        if !keepTrailingNewline {
            if bytes.last == 0x0A { bytes.removeLast() }
            if bytes.last == 0x0D { bytes.removeLast() }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandInputError("the value for \(what) is not UTF-8 text")
        }
        return text
    }
}

/// A `--tags key=value` argument.
extension Tag: ExpressibleByArgument {
    public init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else { return nil }
        self.init(key: String(argument[..<eq]), value: String(argument[argument.index(after: eq)...]))
    }
}

/// A one-line running count on stderr for operations that take a while, only on a terminal and
/// only once half a second has passed; cleared when done (before the command's output is
/// printed, so that the two never share a line).
final class ProgressLine: Sendable {
    private let enabled: Bool
    private let quiet: Bool
    private let started = MonotonicClock.now()
    private let shown = Mutex(false)

    init(quiet: Bool) {
        enabled = !quiet && StandardStream.error.isTerminal
        self.quiet = quiet
    }

    func update(_ message: String) {
        guard enabled, MonotonicClock.now() - started > 0.5 else { return }
        shown.withLock { shown in
            shown = true
            StandardStream.error.write("\r\(PrintableText.escaped(message))\u{1B}[K")
        }
    }

    /// A `credctl: note:` line on stderr (unless quiet), over the running count if one is shown.
    func note(_ message: String) {
        guard !quiet else { return }
        shown.withLock { shown in
            StandardStream.error.write((shown ? "\r\u{1B}[K" : "") + "credctl: note: \(PrintableText.escaped(message))\n")
            shown = false
        }
    }

    func finish() {
        shown.withLock { shown in
            if shown { StandardStream.error.write("\r\u{1B}[K") }
            shown = false
        }
    }
}
