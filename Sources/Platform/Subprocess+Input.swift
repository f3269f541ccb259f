#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Subprocess {
    /// Like `run(_:environment:)`, with `input` written to the program's standard input (then
    /// closed) instead of `/dev/null`: how secrets reach a helper such as `secret-tool` without
    /// ever appearing in its argument list.
    public static func run(_ arguments: [String], environment: [String: String], input: [UInt8]) throws(LaunchError) -> Result {
        guard let program = arguments.first else { throw LaunchError(program: "", reason: "empty command") }
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        for index in 0..<3 {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw LaunchError(program: program, reason: SecretFile.lastError()) }
            opened += fds
            switch index {
            case 0: inPipe = fds
            case 1: outPipe = fds
            default: errPipe = fds
            }
        }
        // Our ends must not leak into the child (it would never see end of input); ours to
        // write is non-blocking, so a child that fills its output while we write cannot deadlock us.
        for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in opened { posix_spawn_file_actions_addclose(&actions, fd) }

        var pid = pid_t()
        let status = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawnp(&pid, program, &actions, nil, argv, envp)
            }
        }
        for fd in [inPipe[0], outPipe[1], errPipe[1]] { close(fd) }
        opened = [inPipe[1], outPipe[0], errPipe[0]]
        guard status == 0 else { throw LaunchError(program: program, reason: String(cString: strerror(status))) }

        // Feed the input and drain both outputs together, so no pipe filling up can deadlock.
        // A child that exits without reading raises SIGPIPE on our write: block it on this
        // thread (it is sent to the writing thread) and discard it, rather than change the
        // process-wide disposition.
        var pipeSignal = sigset_t(), previousMask = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var none = timespec()
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        var written = 0
        var writing: Int32? = inPipe[1]
        if input.isEmpty { close(inPipe[1]); writing = nil }
        var output = [UInt8](), errors = [UInt8]()
        var reading = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !reading.isEmpty || writing != nil {
            var fds = reading.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let w = writing { fds.append(pollfd(fd: w, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 { if errno == EINTR { continue }; break }
            for p in fds where p.revents != 0 {
                if p.fd == writing {
                    let n = input[written..<min(input.count, written + 65536)].withUnsafeBytes { Glibc.write(p.fd, $0.baseAddress, $0.count) }
                    if n > 0 { written += n }
                    if written == input.count || (n < 0 && errno != EINTR && errno != EAGAIN) {
                        close(p.fd)
                        writing = nil
                    }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(p.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if p.fd == outPipe[0] { output.append(contentsOf: buffer[0..<n]) } else { errors.append(contentsOf: buffer[0..<n]) }
                } else if n == 0 || errno != EINTR {
                    close(p.fd)
                    reading.removeAll { $0 == p.fd }
                }
            }
        }
        opened = []
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        return Result(status: exitCode(fromWaitStatus: waitStatus), standardOutput: output, standardError: errors)
    }
}
