import AWSConfig
import AWSCore

/// A client's connection to the agent. Made only when something listens at the path and the
/// process listening runs as this same user (its `SO_PEERCRED`): a socket someone else planted
/// is never told anything.
public final class AgentConnection {
    let fd: Int32

    /// Nil when no agent answers there (no socket, refused, another user's): the caller then
    /// does the work itself, as without an agent.
    public init?(socket: AgentSocketPath, timeoutSeconds: Int = 300) {
        guard let fd = UnixSocket.connect(path: socket.path) else { return nil }
        guard UnixSocket.peerUserID(fd) == UnixSocket.ownUserID else { UnixSocket.close(fd); return nil }
        UnixSocket.setTimeout(fd, seconds: timeoutSeconds)
        self.fd = fd
    }

    public func send(_ message: JSONValue) throws(AgentConnectionError) { try AgentFrame.send(message, on: fd) }

    public func receive() throws(AgentConnectionError) -> JSONValue { try AgentFrame.receive(on: fd) }

    deinit { UnixSocket.close(fd) }
}
