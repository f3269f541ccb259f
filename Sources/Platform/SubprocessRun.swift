#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of a command whose output credctl reads: the input fed and both outputs drained
/// together (so no pipe filling up can deadlock), within `Limits`:
/// - at the time limit the command (its process group, when it has one) gets SIGTERM, then
///   SIGKILL after the grace period, and the result says it timed out;
/// - reading stops when the command exits, even if a background child of it still holds the
///   pipes open;
/// - at most `outputBytes` of each stream are kept;
/// - with a process group of its own, SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to credctl are
///   passed to that group, and credctl then ends by the same signal once the command is gone.
struct SubprocessRun {
    let arguments: [String]
    let environment: [String: String]
    let input: [UInt8]?
    let limits: Subprocess.Limits
    var now: () -> Double = MonotonicClock.now

    typealias LaunchError = Subprocess.LaunchError

    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    func run() throws(LaunchError) -> Subprocess.Result {
        guard let program = arguments.first else { throw LaunchError(program: "", reason: "empty command") }
        var pipes: [[Int32]] = []
        var ours: [Int32] = []
        defer { for fd in ours { close(fd) } }
        for _ in 0..<(input == nil ? 2 : 3) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else {
                for p in pipes { close(p[0]); close(p[1]) }
                throw LaunchError(program: program, reason: SecretFile.lastError())
            }
            pipes.append(fds)
        }
        let (outPipe, errPipe) = (pipes[0], pipes[1])
        let inPipe = input == nil ? nil : pipes[2]
        // Our ends must not leak into the child (it would never see end of input); they are
        // non-blocking, so neither a child that fills its output while we write nor one that
        // exits while a grandchild holds its pipes can hold us.
        var ourEnds = [outPipe[0], errPipe[0]]
        if let inPipe { ourEnds.append(inPipe[1]) }
        for fd in ourEnds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe { posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0) } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for p in pipes { posix_spawn_file_actions_addclose(&actions, p[0]); posix_spawn_file_actions_addclose(&actions, p[1]) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        ChildProcess.setCleanSignals(&attributes, extraFlags: limits.ownProcessGroup ? Int32(POSIX_SPAWN_SETPGROUP) : 0)
        if limits.ownProcessGroup { posix_spawnattr_setpgroup(&attributes, 0) }

        // Blocked before the child exists, so that a signal sent meanwhile waits to be passed on.
        let signals = limits.ownProcessGroup ? ForwardedSignals.block() : nil
        var pid = pid_t()
        let status = Subprocess.withCStrings(arguments) { argv in
            Subprocess.withCStrings(ChildEnvironment.entries(environment)) { envp in
                posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
            }
        }
        // The child's ends, now its own.
        close(outPipe[1])
        close(errPipe[1])
        if let inPipe { close(inPipe[0]) }
        ours = ourEnds
        guard status == 0 else {
            signals?.restore(raising: nil)
            throw LaunchError(program: program, reason: String(cString: strerror(status)))
        }
        var io = ChildIO(stdout: outPipe[0], stderr: errPipe[0], stdin: inPipe?[1], input: input ?? [], limits: limits)
        let ended = wait(pid, io: &io, signals: signals)
        ours = []
        io.closeAll()
        signals?.restore(raising: ended.signal)
        return Subprocess.Result(status: ended.status, standardOutput: io.output.bytes, standardError: io.errors.bytes,
                                 timedOut: ended.timedOut, outputExceeded: io.output.exceeded || io.errors.exceeded)
    }

    struct Ended {
        var status: Int32
        var timedOut: Bool
        /// A signal credctl received and passed on, to end credctl by afterwards.
        var signal: Int32?
    }

    /// Feeds, drains and watches the child until it exits (or is ended at the time limit).
    func wait(_ pid: pid_t, io: inout ChildIO, signals: ForwardedSignals?) -> Ended {
        let deadline = CommandDeadline(started: now(), timeout: limits.timeout, grace: limits.grace)
        let target = limits.ownProcessGroup ? -pid : pid
        var terminated = false, timedOut = false
        var received: Int32?
        // A child that exits without reading raises SIGPIPE on our write: blocked on this
        // thread (it is sent to the writing thread) and discarded, rather than changing the
        // process-wide disposition.
        let pipeSignal = PipeSignalBlock()
        defer { pipeSignal.end() }
        while true {
            switch deadline.action(at: now(), terminated: terminated) {
            case .terminate:
                kill(target, SIGTERM)
                terminated = true
                timedOut = true
                continue
            case .kill:
                kill(target, SIGKILL)
                var waitStatus: Int32 = 0
                while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
                io.drain()
                return Ended(status: Subprocess.exitCode(fromWaitStatus: waitStatus), timedOut: true, signal: received)
            case .wait(let seconds):
                io.pump(timeout: seconds)
            }
            if let signal = signals?.takePending() {
                received = received ?? signal
                kill(target, signal)
            }
            var waitStatus: Int32 = 0
            let reaped = waitpid(pid, &waitStatus, WNOHANG)
            if reaped == pid {
                // It exited: what it wrote before is read, and nothing more is waited for.
                io.drain()
                return Ended(status: Subprocess.exitCode(fromWaitStatus: waitStatus), timedOut: timedOut, signal: received)
            }
            if reaped < 0 && errno != EINTR {
                io.drain()
                return Ended(status: 127, timedOut: timedOut, signal: received)
            }
        }
    }
}

/// SIGPIPE blocked on the calling thread while it writes to a child, and any pending one discarded after.
struct PipeSignalBlock {
    var set = sigset_t()
    var previous = sigset_t()

    init() {
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, &previous)
    }

    func end() {
        var set = self.set, previous = self.previous
        var none = timespec()
        while sigtimedwait(&set, nil, &none) == SIGPIPE {}
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}

/// The signals passed on to a child in its own process group: blocked on the calling thread
/// (those it had not blocked already, which belong to whoever blocked them), taken when pending,
/// and raised again on credctl once the child is gone.
struct ForwardedSignals {
    var taken = sigset_t()
    var previous = sigset_t()

    static func block() -> ForwardedSignals {
        var s = ForwardedSignals()
        pthread_sigmask(SIG_SETMASK, nil, &s.previous)
        sigemptyset(&s.taken)
        for signal in SubprocessRun.forwarded where sigismember(&s.previous, signal) == 0 { sigaddset(&s.taken, signal) }
        pthread_sigmask(SIG_BLOCK, &s.taken, nil)
        return s
    }

    /// A pending signal of ours, taken (nil when none).
    func takePending() -> Int32? {
        var none = timespec()
        var taken = self.taken
        let signal = sigtimedwait(&taken, nil, &none)
        return signal > 0 ? signal : nil
    }

    /// The mask as it was; a signal that was passed on is then raised on credctl itself.
    func restore(raising signal: Int32?) {
        var previous = self.previous
        if let signal { kill(getpid(), signal) }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
