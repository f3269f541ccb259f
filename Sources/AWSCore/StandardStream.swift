#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard output or standard error, whole strings at a time.
public struct StandardStream: Sendable {
    public let fileDescriptor: Int32

    public static let output = StandardStream(fileDescriptor: 1)
    public static let error = StandardStream(fileDescriptor: 2)

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
