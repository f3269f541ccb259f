#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard output or standard error, whole strings at a time; line
/// reads from standard input.
public struct StandardStream: Sendable {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    /// The longest line `readLine` takes (a key, a code, an answer are far shorter): input that
    /// never ends its line (`< /dev/zero`) costs at most this much memory.
    public static let maximumLineLength = 64 << 10

    public static let output = StandardStream(fileDescriptor: 1)
    public static let error = StandardStream(fileDescriptor: 2)
    public static let input = StandardStream(fileDescriptor: 0)

    /// One line (without its newline), read a byte at a time so nothing past it is consumed;
    /// nil at end of input before any byte, and nil for a line longer than `maximumLineLength`
    /// (reading stops there).
    public func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(fileDescriptor, &byte, 1)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
            guard line.count < Self.maximumLineLength else { return nil }
            line.append(byte)
        }
    }

    /// Like `readLine`, with the terminal's echo turned off while reading (for secret values).
    public func readLineWithoutEcho() -> String? {
        var saved = termios()
        guard tcgetattr(fileDescriptor, &saved) == 0 else { return readLine() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fileDescriptor, TCSAFLUSH, &quiet)
        defer { tcsetattr(fileDescriptor, TCSAFLUSH, &saved) }
        return readLine()
    }

    public func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    public func write(bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// Whether the stream is a terminal (colour, prompts and progress only then).
    public var isTerminal: Bool { isatty(fileDescriptor) == 1 }
}
