#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a per-user daemon (`credctl agent`) needs of the process API: its id, no core dumps
/// (its memory holds secrets and must never reach a file), and starting itself detached from
/// the terminal and the session of the shell that started it.
public enum DaemonProcess {
    public static var id: Int32 { getpid() }

    /// No core file, whatever the shell's limit: a crash must not write held secrets to disk.
    public static func disableCoreDumps() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
    }

    /// A client that goes away mid-answer is an error on that write, not the end of the daemon.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }

    public static func changeToRoot() { _ = chdir("/") }

    /// The running executable's path (`/proc/self/exe`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Starts `arguments` in a new session (no controlling terminal), stdin and stdout on
    /// /dev/null; its stderr is the returned pipe's read end, so the caller can show why it
    /// failed to start. The caller closes that descriptor. It never gets the vault's passphrase
    /// variables (the agent asks its clients instead); being credctl itself, it keeps the vault's
    /// file and backend variables, which its container endpoint resolves with.
    public static func spawnDetached(_ arguments: [String], environment: [String: String]) throws(Subprocess.LaunchError) -> (pid: Int32, errors: Int32) {
        guard let program = arguments.first else { throw Subprocess.LaunchError(program: "", reason: "empty command") }
        var errPipe: [Int32] = [0, 0]
        guard pipe(&errPipe) == 0 else { throw Subprocess.LaunchError(program: program, reason: String(cString: strerror(errno))) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, errPipe[0])
        posix_spawn_file_actions_addclose(&actions, errPipe[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(posixSpawnSetSID))
        var pid = pid_t()
        let status = spawnStrings(arguments) { argv in
            spawnStrings(daemonEnvironment(environment)) { envp in posix_spawn(&pid, program, &actions, &attributes, argv, envp) }
        }
        close(errPipe[1])
        guard status == 0 else { close(errPipe[0]); throw Subprocess.LaunchError(program: program, reason: String(cString: strerror(status))) }
        return (pid, errPipe[0])
    }

    static func daemonEnvironment(_ variables: [String: String]) -> [String] {
        variables.filter { $0.key != ChildEnvironment.vaultPassphrase && $0.key != ChildEnvironment.vaultPassphraseCommand }
            .map { "\($0.key)=\($0.value)" }
    }

    /// True once `pid` (a child of this process) has exited; it is reaped then.
    public static func hasExited(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// What is waiting on `fd` now (at most 4 KiB), without blocking.
    public static func readAvailable(_ fd: Int32) -> [UInt8] {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// glibc's POSIX_SPAWN_SETSID (a GNU extension, not visible to Swift without _GNU_SOURCE).
    static let posixSpawnSetSID: Int32 = 0x80

    static func spawnStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return body(pointers + [nil])
    }
}
