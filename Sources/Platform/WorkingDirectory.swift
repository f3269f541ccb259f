#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's current folder, for paths that must mean the same in another process (the
/// agent runs in a folder of its own).
public enum WorkingDirectory {
    public static var current: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` made absolute against the current folder; absolute paths, `~` paths and empty ones as they are.
    public static func absolute(_ path: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~"), let here = current else { return path }
        return here == "/" ? "/" + path : here + "/" + path
    }
}
