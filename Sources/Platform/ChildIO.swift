#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// credctl's ends of a child's three pipes (all non-blocking): the input written as the child
/// reads it, both outputs captured within their limits.
struct ChildIO {
    var stdout: Int32?
    var stderr: Int32?
    var stdin: Int32?
    let input: [UInt8]
    var written = 0
    var output: OutputCapture
    var errors: OutputCapture
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(stdout: Int32, stderr: Int32, stdin: Int32?, input: [UInt8], limits: Subprocess.Limits) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.input = input
        output = OutputCapture(limit: limits.outputBytes, keep: limits.keep)
        errors = OutputCapture(limit: limits.outputBytes, keep: limits.keep)
        if input.isEmpty, let fd = stdin { close(fd); self.stdin = nil }
    }

    /// Waits up to `timeout` seconds for a pipe to be ready, and moves what it can.
    mutating func pump(timeout: Double) {
        var fds: [pollfd] = []
        if let fd = stdout { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        if let fd = stderr { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        if let fd = stdin { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
        let milliseconds = Int32(max(0, min(timeout, 1)) * 1000)
        if poll(&fds, nfds_t(fds.count), max(milliseconds, 1)) <= 0 { return }
        for p in fds where p.revents != 0 {
            if p.fd == stdin { write() } else { read(p.fd) }
        }
    }

    /// Reads what is waiting in both outputs without waiting for more, then closes them.
    mutating func drain() {
        // Bounded: a background child still writing cannot keep us here.
        for fd in [stdout, stderr].compactMap({ $0 }) {
            var reads = 0
            while reads < 256, read(fd) { reads += 1 }
        }
        closeAll()
    }

    mutating func closeAll() {
        for fd in [stdout, stderr, stdin].compactMap({ $0 }) { close(fd) }
        stdout = nil
        stderr = nil
        stdin = nil
    }

    /// One read; false at end of file, on an error, or when nothing is waiting.
    @discardableResult
    mutating func read(_ fd: Int32) -> Bool {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            if fd == stdout { output.append(buffer[0..<n]) } else { errors.append(buffer[0..<n]) }
            return true
        }
        if n < 0 && (errno == EINTR) { return true }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
        // End of file or an error: this stream is done.
        close(fd)
        if fd == stdout { stdout = nil } else { stderr = nil }
        return false
    }

    mutating func write() {
        guard let fd = stdin else { return }
        let n = input[written..<min(input.count, written + 65536)].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n > 0 { written += n }
        if written == input.count || (n < 0 && errno != EINTR && errno != EAGAIN) {
            close(fd)
            stdin = nil
        }
    }
}
