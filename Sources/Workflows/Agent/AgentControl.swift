import Agent
import AWSConfig
import AWSCore

/// `credctl agent start|status|lock|stop`: starting the daemon (in the foreground, or detached
/// and waited for until it answers) and the reports of its control requests.
public enum AgentControl {
    /// Runs the agent in this process until `agent stop`.
    public static func runForeground(_ options: AgentService.Options, environment: Environment) throws(AWSError) {
        let socket = try socketPath(environment)
        DaemonProcess.disableCoreDumps()
        DaemonProcess.ignoreBrokenPipes()
        // A daemon holds no folder busy; what it runs runs in /, whoever started it from where.
        DaemonProcess.changeToRoot()
        let listener: AgentListener
        if let activated = AgentListener(activatedBy: environment, socket: socket) {
            listener = activated
        } else {
            do { listener = try AgentListener(socket: socket) } catch { throw .configuration(ConfigurationError("credctl agent: \(error)")) }
        }
        StandardStream.error.write("credctl agent: listening on \(socket.path) (pid \(DaemonProcess.id))\n")
        try AgentService(listener: listener, options: options).run(environment: environment)
    }

    /// Starts `arguments` (this executable, `agent start --foreground …`) detached and waits until
    /// it answers; an agent already answering is reported as such (starting is idempotent, for
    /// shell profiles).
    public static func startDetached(_ arguments: [String], environment: Environment) throws(AWSError) -> Report {
        let socket = try socketPath(environment)
        if let status = AgentClient.control("status", environment: environment) { return report(status, already: true) }
        let child: (pid: Int32, errors: Int32)
        do { child = try DaemonProcess.spawnDetached(arguments, environment: environment.variables) } catch {
            throw .configuration(ConfigurationError("credctl agent: \(error)"))
        }
        defer { UnixSocket.close(child.errors) }
        var said: [UInt8] = []
        // Every 50 ms for up to 10 s, on the one waiter.
        var wait = Self.polling(attempts: 200)
        repeat {
            if let status = AgentClient.control("status", environment: environment) { return report(status, already: false) }
            said += DaemonProcess.readAvailable(child.errors)
            if DaemonProcess.hasExited(child.pid) {
                said += DaemonProcess.readAvailable(child.errors)
                let firstLine = said.split(separator: 0x0A).first.map(Array.init) ?? []
                var reason = String(decoding: firstLine, as: UTF8.self).trimmingSpaces()
                if reason.hasPrefix("credctl: error: ") { reason = String(reason.dropFirst(16)) }
                throw .configuration(ConfigurationError(reason.isEmpty ? "the agent exited before it listened on \(socket.path)" : reason))
            }
        } while wait.pause()
        throw .configuration(ConfigurationError("the agent did not answer on \(socket.path) within 10 seconds"))
    }

    /// The report of `status`, `lock` or `stop`; nil when no agent answers.
    public static func request(_ op: String, environment: Environment) throws(AWSError) -> Report? {
        _ = try socketPath(environment)
        guard let answer = AgentClient.control(op, environment: environment) else { return nil }
        if let error = answer["error"] { throw AgentWire.decodeError(error) }
        switch op {
        case "lock": return .record([ReportField("Locked", "Locked", .flag(true)),
                                     ReportField("Forgotten", "Forgotten (sessions and vault entries)", .number(answer["forgotten"]?.intValue ?? 0))])
        case "stop":
            // Done only when the agent no longer answers, so that a `start` right after starts a
            // new agent instead of finding the one that is stopping.
            var wait = Self.polling(attempts: 100)
            while AgentClient.control("status", environment: environment) != nil, wait.pause() {}
            return .record([ReportField("Stopped", "Stopped", .flag(true))])
        default: return report(answer, already: false)
        }
    }

    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI=…/profile/NAME` and `AWS_CONTAINER_AUTHORIZATION_TOKEN=…`, one a line.
    public static func containerEnvironment(profile: String, environment: Environment) throws(AWSError) -> String {
        let socket = try socketPath(environment)
        guard ProfileName.isPlausible(profile) else {
            throw .configuration(ConfigurationError("profile '\(PrintableText.escaped(profile))' cannot be named in a URL path"))
        }
        guard let answer = AgentClient.control("container", environment: environment) else {
            throw .noCredentials("no agent is running on \(socket.path); start one with credctl agent start --container-port N")
        }
        if let error = answer["error"] { throw AgentWire.decodeError(error) }
        guard let url = answer["url"]?.stringValue, let token = answer["token"]?.stringValue else {
            throw .noCredentials("the agent's answer names no container endpoint")
        }
        return "AWS_CONTAINER_CREDENTIALS_FULL_URI=\(url)\(profile)\nAWS_CONTAINER_AUTHORIZATION_TOKEN=\(token)\n"
    }

    /// What `status` says when no agent answers.
    public static func notRunning(environment: Environment) -> Report {
        let socket = AgentSocketPath.resolve(environment)
        return .record([ReportField("Running", "Running", .flag(false)), ReportField("Socket", "Socket", .text(socket?.path ?? "off (CREDCTL_AGENT_SOCKET=off)"))])
    }

    static func report(_ status: JSONValue, already: Bool) -> Report {
        .record([
            ReportField("Running", "Running", .flag(true)),
            ReportField("AlreadyRunning", "Already running", .flag(already)),
            ReportField("Pid", "Pid", .number(status["pid"]?.intValue ?? 0)),
            ReportField("Socket", "Socket", .text(status["socket"]?.stringValue ?? "")),
            ReportField("Started", "Started", .text(status["started"]?.intValue.map(Timestamp.format))),
            ReportField("IdleLimit", "Idle limit", .text(status["idle_limit_seconds"]?.intValue.map(DurationText.describe))),
            ReportField("UnlockFor", "Vault entries held for", .text(status["unlock_for_seconds"]?.intValue.map(DurationText.describe) ?? "not held")),
            ReportField("SessionsHeld", "Sessions held", .number(status["sessions_held"]?.intValue ?? 0)),
            ReportField("NextExpiration", "Next expiration", .text(status["next_expiration"]?.intValue.map(Timestamp.format))),
            ReportField("VaultEntriesHeld", "Vault entries held", .number(status["vault_entries_held"]?.intValue ?? 0)),
            ReportField("ContainerEndpoint", "Container endpoint", .text(status["container_url"]?.stringValue.map { $0 + "NAME" })),
        ])
    }

    static func socketPath(_ environment: Environment) throws(AWSError) -> AgentSocketPath {
        guard let socket = AgentSocketPath.resolve(environment) else {
            throw .configuration(ConfigurationError("\(AgentSocketPath.variable)=off: credctl uses no agent"))
        }
        return socket
    }

    /// Asking the agent again every 50 ms, `attempts` times at most.
    static func polling(attempts: Int) -> Waiter.Loop {
        Waiter(backoff: .fixed(0.05), maxAttempts: attempts).start()
    }
}
