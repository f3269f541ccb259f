#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting other programs: `credential_process` (output captured) and `exec` (replaced by).
public enum Subprocess {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number when killed by a signal.
        public var status: Int32
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]
    }

    public struct LaunchError: Error, Sendable, CustomStringConvertible {
        public var program: String
        public var reason: String
        public var description: String { "cannot run \(program): \(reason)" }
    }

    /// Runs `arguments` (looked up in `PATH`) with `environment`, its stdin closed, and
    /// returns what it wrote and how it ended.
    public static func run(_ arguments: [String], environment: [String: String]) throws(LaunchError) -> Result {
        guard let program = arguments.first else { throw LaunchError(program: "", reason: "empty command") }
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0 else { throw LaunchError(program: program, reason: SecretFile.lastError()) }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw LaunchError(program: program, reason: SecretFile.lastError())
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

        var pid = pid_t()
        let status = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawnp(&pid, program, &actions, nil, argv, envp)
            }
        }
        close(outPipe[1]); close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw LaunchError(program: program, reason: String(cString: strerror(status)))
        }
        // Read both pipes without deadlocking on either filling up.
        var output = [UInt8](), errors = [UInt8]()
        var open = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 { if errno == EINTR { continue }; break }
            for p in fds where p.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(p.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if p.fd == outPipe[0] { output.append(contentsOf: buffer[0..<n]) } else { errors.append(contentsOf: buffer[0..<n]) }
                } else if n == 0 || errno != EINTR {
                    close(p.fd)
                    open.removeAll { $0 == p.fd }
                }
            }
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        return Result(status: exitCode(fromWaitStatus: waitStatus), standardOutput: output, standardError: errors)
    }

    /// Replaces this process with `arguments` (looked up in the new environment's `PATH`) and
    /// `environment`; returns only when that fails.
    public static func replaceProcess(_ arguments: [String], environment: [String: String]) -> LaunchError {
        guard let program = arguments.first else { return LaunchError(program: "", reason: "empty command") }
        guard let path = executablePath(program, searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            return LaunchError(program: program, reason: "command not found")
        }
        _ = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                execve(path, argv, envp)
            }
        }
        return LaunchError(program: program, reason: SecretFile.lastError())
    }

    /// `program` itself when it contains a slash, else the first executable file of that name
    /// in `searchPath`.
    public static func executablePath(_ program: String, searchPath: String) -> String? {
        if program.contains("/") { return program }
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + program
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func exitCode(fromWaitStatus s: Int32) -> Int32 {
        let signal = s & 0x7f
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal
    }

    /// A NULL-terminated C array of C strings, valid inside `body`.
    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return body(pointers + [nil])
    }
}
