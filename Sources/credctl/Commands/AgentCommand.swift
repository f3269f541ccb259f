import ArgumentParser
import AWSCore
import Workflows

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "A per-user daemon holding session credentials (and, if asked, unlocked vault entries) in memory for every credctl and AWS CLI call.",
        discussion: HelpText.reflowed("""
            Listens on $XDG_RUNTIME_DIR/credctl/agent.sock (else ~/.aws/credctl/agent.sock;
            CREDCTL_AGENT_SOCKET moves it, CREDCTL_AGENT_SOCKET=off uses none), answering only your
            own user. Every credctl command asks it first; without an agent they work alone.
            See agent.md in share/doc/credctl.
            """),
        subcommands: [AgentStartCommand.self, AgentStatusCommand.self, AgentLockCommand.self, AgentStopCommand.self, AgentContainerEnvCommand.self])
}

struct AgentStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the agent (detached unless --foreground); nothing happens if one is running.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run in this process (for systemd and supervisors) instead of detached.") var foreground = false
    @Option(name: .customLong("idle-limit"), help: "Forget everything after this long without a request (default 1h; up to 7d).")
    var idleLimit = "1h"
    @Option(name: .customLong("unlock-for"), help: "Hold unlocked vault entries this long (up to 24h), so refreshes need no passphrase. Default: never held.")
    var unlockFor: String?
    @Option(name: .customLong("container-port"), help: "Also serve http://127.0.0.1:PORT/profile/NAME for containers (see agent container-env).")
    var containerPort: Int?

    func validate() throws {
        if let port = containerPort, !(1...65535).contains(port) { throw ValidationError("--container-port must be 1 to 65535") }
    }

    func run() throws {
        let options = AgentService.Options(
            idleLimit: try DurationText.seconds(idleLimit, option: "--idle-limit", bareUnit: .seconds, within: 60...(7 * 86_400)),
            unlockFor: try unlockFor.map { try DurationText.seconds($0, option: "--unlock-for", bareUnit: .seconds, within: 60...86_400) },
            containerPort: containerPort)
        let environment = Environment.current()
        if foreground { return try AgentControl.runForeground(options, environment: environment) }
        guard let executable = DaemonProcess.executablePath() else { throw CommandInputError("cannot find credctl's own executable") }
        var arguments = [executable, "agent", "start", "--foreground", "--idle-limit", idleLimit]
        if let unlockFor { arguments += ["--unlock-for", unlockFor] }
        if let containerPort { arguments += ["--container-port", String(containerPort)] }
        try Run.offline(global) { .report(try AgentControl.startDetached(arguments, environment: environment)) }
    }
}

struct AgentStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Whether an agent is running and what it holds (no secrets); exit 1 when none is.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = Environment.current()
        try Run.offline(global) {
            if let report = try AgentControl.request("status", environment: environment) { return .report(report) }
            return .reportThenExit(AgentControl.notRunning(environment: environment), .checkFailed)
        }
    }
}

struct AgentLockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock", abstract: "Forget every held session and vault entry now; exit 1 when no agent is running.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = Environment.current()
        try Run.offline(global) {
            if let report = try AgentControl.request("lock", environment: environment) { return .report(report) }
            return .reportThenExit(AgentControl.notRunning(environment: environment), .checkFailed)
        }
    }
}

struct AgentStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Forget everything and stop the agent; exit 1 when none is running.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = Environment.current()
        try Run.offline(global) {
            if let report = try AgentControl.request("stop", environment: environment) { return .report(report) }
            return .reportThenExit(AgentControl.notRunning(environment: environment), .checkFailed)
        }
    }
}

struct AgentContainerEnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container-env",
        abstract: "Print the two variables a container needs to fetch --profile's credentials from the agent's endpoint (a secret token: for docker --env-file).")
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if global.profile == nil { throw ValidationError("give --profile NAME") }
    }

    func run() throws {
        try Run.refuse(global, unless: [], "container-env prints the two variables, one a line, for docker --env-file")
        StandardStream.output.write(try AgentControl.containerEnvironment(profile: global.profile!, environment: Environment.current()))
    }
}
