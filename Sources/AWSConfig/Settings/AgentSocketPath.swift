import AWSCore

/// Where the agent's socket is: `CREDCTL_AGENT_SOCKET` (`off`: use no agent), else
/// `$XDG_RUNTIME_DIR/credctl/agent.sock`, else `~/.aws/credctl/agent.sock`. The folder is made
/// with mode 0700 and must belong to this user with no access for anyone else. Resolved here, so
/// that the agent, its clients and `credctl agent` read no variable themselves.
public struct AgentSocketPath: Sendable, Equatable {
    public static let variable = SettingNames.agentSocket

    public var path: String
    /// Where the path came from, for messages.
    public var source: String

    /// Nil when the agent is turned off (`CREDCTL_AGENT_SOCKET=off`).
    public static func resolve(_ env: Environment) -> AgentSocketPath? {
        if let given = env.nonEmpty(variable) {
            if given == "off" { return nil }
            return AgentSocketPath(path: given, source: variable)
        }
        if let runtime = env.nonEmpty("XDG_RUNTIME_DIR"), runtime.hasPrefix("/") {
            return AgentSocketPath(path: "\(runtime)/credctl/agent.sock", source: "XDG_RUNTIME_DIR")
        }
        return AgentSocketPath(path: LocalFile.expandTilde("~/.aws/credctl/agent.sock", env), source: "~/.aws/credctl, no XDG_RUNTIME_DIR")
    }

    public var folder: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
