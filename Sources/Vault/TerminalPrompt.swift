#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks on the controlling terminal (`/dev/tty`) with echo off. Not standard input: when the
/// AWS CLI runs `credential_process`, credctl's stdin and stdout belong to it, yet the user
/// at the terminal can still be asked.
public enum TerminalPrompt {
    /// The line typed (without its newline) as bytes the caller can wipe; nil when there is
    /// no terminal or it ends before a line.
    public static func readSecret(prompt: String) -> [UInt8]? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        write(fd, Array(prompt.utf8))
        var saved = termios()
        let canSilence = tcgetattr(fd, &saved) == 0
        if canSilence {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if canSilence { tcsetattr(fd, TCSAFLUSH, &saved) }
            write(fd, [0x0A])
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return line.isEmpty ? nil : line }
            if byte == 0x0A { break }
            line.append(byte)
        }
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}
