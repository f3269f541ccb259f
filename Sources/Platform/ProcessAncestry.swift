#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's ancestors as `/proc` shows them: how many of them run the same program as this
/// one. A bound on recursion that no environment can clear (a process that calls credctl through
/// `env -u` still has credctl among its ancestors).
public enum ProcessAncestry {
    /// The number of ancestors (parent, grandparent, … up to init) whose executable is this
    /// process's own; 0 where `/proc` cannot be read.
    public static func ancestorsRunningThisProgram(procRoot: String = "/proc") -> Int {
        guard let own = executable(of: "self", procRoot: procRoot) else { return 0 }
        var count = 0
        var pid = parent(of: "self", procRoot: procRoot)
        var seen = 0
        while let p = pid, p > 1, seen < 4096 {
            if executable(of: String(p), procRoot: procRoot) == own { count += 1 }
            pid = parent(of: String(p), procRoot: procRoot)
            seen += 1
        }
        return count
    }

    /// The target of `/proc/PID/exe`.
    static func executable(of pid: String, procRoot: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink("\(procRoot)/\(pid)/exe", &buffer, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The parent pid from `/proc/PID/stat` (the field after the command name, which may itself
    /// hold spaces and parentheses: read after the last `)`).
    static func parent(of pid: String, procRoot: String) -> Int32? {
        let fd = open("\(procRoot)/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let stat = buffer[0..<n]
        guard let end = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat[(end + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 1 else { return nil }
        return Int32(String(decoding: fields[1], as: UTF8.self))
    }
}
