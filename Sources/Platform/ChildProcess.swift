#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command credctl starts and outlives (`creds exec --server`), as opposed to `exec`: the
/// child runs with an empty signal mask and default signal dispositions whatever credctl had,
/// shares credctl's terminal, standard streams and process group, and credctl waits for it,
/// passing on the signals sent to credctl alone.
///
///     let signals = ChildProcess.SignalGuard.block()   // before any other thread starts
///     let child = try ChildProcess.spawn(command, environment: env)
///     let ending = child.waitForwardingSignals(signals)
///     ending.exitLikeIt()
public struct ChildProcess: Sendable {
    public let pid: pid_t

    /// Signals passed on to the child when sent to credctl by another process (`kill`).
    /// A terminal's Ctrl-C, Ctrl-\ or hang-up reaches the whole foreground process group, the
    /// child included, so those are not passed on a second time.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// How the child ended.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case killed(signal: Int32)

        /// The exit status a shell would report: the code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exited(let code): return code
            case .killed(let signal): return 128 + signal
            }
        }

        /// Ends credctl as the child ended: the same exit code, or the same signal (so that a
        /// shell running credctl sees an interrupted command as interrupted); a signal that
        /// would dump core is reported as 128 + its number instead of being raised.
        public func exitLikeIt() -> Never {
            if case .killed(let signal) = self, [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGKILL].contains(signal) {
                Glibc.signal(signal, SIG_DFL)
                var only = sigset_t()
                sigemptyset(&only)
                sigaddset(&only, signal)
                pthread_sigmask(SIG_UNBLOCK, &only, nil)
                raise(signal)
            }
            exit(status)
        }
    }

    /// The forwarded signals (and SIGCHLD) blocked in the calling thread and in every thread it
    /// starts afterwards, so that they wait for `waitForwardingSignals` instead of ending credctl.
    /// SIGTTIN and SIGTTOU are ignored: once an interactive child has taken the terminal, credctl
    /// touching it (a prompt nobody should see) fails instead of stopping credctl, and with it
    /// the credentials server.
    public struct SignalGuard: Sendable {
        let previous: sigset_t

        public static func block() -> SignalGuard {
            var set = sigset_t(), previous = sigset_t()
            sigemptyset(&set)
            for s in ChildProcess.forwardedSignals + [SIGCHLD] { sigaddset(&set, s) }
            pthread_sigmask(SIG_BLOCK, &set, &previous)
            Glibc.signal(SIGTTIN, SIG_IGN)
            Glibc.signal(SIGTTOU, SIG_IGN)
            return SignalGuard(previous: previous)
        }

        /// Puts the calling thread's mask and the terminal signals back (when no child was started after all).
        public func restore() {
            var mask = previous
            pthread_sigmask(SIG_SETMASK, &mask, nil)
            Glibc.signal(SIGTTIN, SIG_DFL)
            Glibc.signal(SIGTTOU, SIG_DFL)
        }
    }

    /// Starts `arguments` (looked up in the environment's `PATH`) with `environment`, an empty
    /// signal mask and default dispositions; its standard streams are credctl's.
    public static func spawn(_ arguments: [String], environment: [String: String]) throws(Subprocess.LaunchError) -> ChildProcess {
        guard let program = arguments.first else { throw Subprocess.LaunchError(program: "", reason: "empty command") }
        guard let path = Subprocess.executablePath(program, searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw Subprocess.LaunchError(program: program, reason: "command not found")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        setCleanSignals(&attributes)
        var pid = pid_t()
        let status = Self.withCStrings(arguments) { argv in
            Self.withCStrings(ChildEnvironment.entries(environment)) { envp in
                posix_spawn(&pid, path, nil, &attributes, argv, envp)
            }
        }
        guard status == 0 else { throw Subprocess.LaunchError(program: program, reason: String(cString: strerror(status))) }
        return ChildProcess(pid: pid)
    }

    /// Spawn attributes for a child that starts with an empty signal mask and every disposition
    /// at its default, whatever the spawning thread had blocked or ignored (plus `extraFlags`).
    static func setCleanSignals(_ attributes: inout posix_spawnattr_t, extraFlags: Int32 = 0) {
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for s in forwardedSignals + [SIGCHLD, SIGPIPE, SIGALRM, SIGTTIN, SIGTTOU] { sigaddset(&defaults, s) }
        // glibc's posix_spawn sets its two internal signals (32, 33) to "ignored" in the child
        // unless they are in this set, and its sigaddset refuses them: set their bits directly,
        // so the child starts with every disposition at its default, as after fork and exec.
        defaults.__val.0 |= (1 << 31) | (1 << 32)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | extraFlags))
    }

    /// Waits for the child to end, passing on each forwarded signal another process sends to
    /// credctl. `signals` must have been blocked before any other thread was started.
    public func waitForwardingSignals(_ signals: SignalGuard) -> Ending {
        var set = sigset_t()
        sigemptyset(&set)
        for s in Self.forwardedSignals + [SIGCHLD] { sigaddset(&set, s) }
        while true {
            var info = siginfo_t()
            var timeout = timespec(tv_sec: 1, tv_nsec: 0)
            let received = sigtimedwait(&set, &info, &timeout)
            if received > 0, received != SIGCHLD, info.si_code != Self.sentByKernel {
                kill(pid, received)
            }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7f
                return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
            }
            if reaped < 0, errno != EINTR { return .exited(127) }
        }
    }

    /// `SI_KERNEL`: a signal the kernel sent (a terminal's to its foreground group), not `kill`.
    static let sentByKernel: Int32 = 0x80

    /// A NULL-terminated C array of C strings, valid inside `body`.
    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return body(pointers + [nil])
    }
}

extension ChildProcess {
    /// Starts `arguments` in a session of its own, its standard streams on `/dev/null`, and does
    /// not wait: it outlives credctl (used to delete a file later).
    public static func spawnDetached(_ arguments: [String], environment: [String: String]) throws(Subprocess.LaunchError) {
        guard let program = arguments.first else { throw Subprocess.LaunchError(program: "", reason: "empty command") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // glibc's POSIX_SPAWN_SETSID (0x80) is declared only under _GNU_SOURCE, which Swift's Glibc module does not set.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | 0x80))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid = pid_t()
        let status = Self.withCStrings(arguments) { argv in
            Self.withCStrings(ChildEnvironment.entries(environment)) { envp in
                posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else { throw Subprocess.LaunchError(program: program, reason: String(cString: strerror(status))) }
    }
}
