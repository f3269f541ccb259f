#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StandardStream {
    /// Points this stream at `/dev/null` for the rest of the process: shell completion's stderr
    /// is the user's command line, and its stdin the user's terminal, neither of which it may
    /// write to or read from. True when done.
    @discardableResult
    public func detachToNull() -> Bool {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { return false }
        defer { close(null) }
        return dup2(null, fileDescriptor) >= 0
    }
}
