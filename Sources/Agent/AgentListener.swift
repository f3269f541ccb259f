import AWSConfig
import AWSCore
import Synchronization

/// The agent's socket: made in a private folder, accepting connections from this user only.
/// Every connection's peer is checked (`SO_PEERCRED`) before a byte is read; another user's
/// connection is closed at once. Each accepted connection is served on its own thread.
public final class AgentListener: Sendable {
    public let socket: AgentSocketPath
    let fd: Int32
    /// A socket systemd made and passed (socket activation) is systemd's: it is not removed on exit.
    let ownsPath: Bool
    private let stopping = Atomic<Bool>(false)

    /// The listening socket systemd passed (`SocketActivation`), nil when there is none. systemd
    /// made it where the socket unit says, with the unit's modes; every connection's peer is still checked.
    public init?(activatedBy environment: Environment, socket: AgentSocketPath) {
        guard let passed = SocketActivation.passedSocket(environment) else { return nil }
        self.socket = socket
        fd = passed
        ownsPath = false
        UnixSocket.setCloseOnExec(fd)
    }

    /// Makes the folder (0700) if needed, refuses one that is not private, removes a stale socket
    /// (one nothing answers on), and listens. An agent already answering is an error.
    public init(socket: AgentSocketPath) throws(AgentConnectionError) {
        self.socket = socket
        do { try SecretFile.makeDirectory(socket.folder) } catch { throw AgentConnectionError("cannot make \(socket.folder): \(error)") }
        if let problem = UnixSocket.privateFolderProblem(socket.folder) {
            throw AgentConnectionError("refusing to listen there: \(problem); the agent's folder must be yours, mode 0700")
        }
        if UnixSocket.isSocket(socket.path) {
            if let fd = UnixSocket.connect(path: socket.path) {
                UnixSocket.close(fd)
                throw AgentConnectionError("an agent is already running on \(socket.path)")
            }
            UnixSocket.remove(socket.path)
        }
        do { fd = try UnixSocket.listen(path: socket.path) } catch { throw AgentConnectionError(error.description) }
        ownsPath = true
    }

    /// Accepts until `stop()`; calls `tick` about every quarter second (idle limits, expiry).
    /// Another user's connection is closed unanswered. Removes the socket when it returns.
    public func run(tick: () -> Void, serve: @escaping @Sendable (Int32) -> Void) {
        let own = UnixSocket.ownUserID
        while !stopping.load(ordering: .acquiring) {
            tick()
            guard UnixSocket.waitReadable(fd, milliseconds: 250), let client = UnixSocket.accept(fd) else { continue }
            guard UnixSocket.peerUserID(client) == own else { UnixSocket.close(client); continue }
            UnixSocket.setTimeout(client, seconds: 300)
            if !DetachedThread.start({ serve(client); UnixSocket.close(client) }) { UnixSocket.close(client) }
        }
        UnixSocket.close(fd)
        if ownsPath { UnixSocket.remove(socket.path) }
    }

    public func stop() { stopping.store(true, ordering: .releasing) }
}
