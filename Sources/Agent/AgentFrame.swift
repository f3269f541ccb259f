import AWSCore

/// One message between `credctl agent` and a client: a 4-byte big-endian length, then that many
/// bytes of JSON (an object). At most 1 MiB, so a confused or hostile peer cannot make either
/// side allocate without bound.
public enum AgentFrame {
    public static let maximumSize = 1 << 20

    public static func send(_ message: JSONValue, on fd: Int32) throws(AgentConnectionError) {
        let body = Array(message.serialized().utf8)
        guard body.count <= maximumSize else { throw AgentConnectionError("a message of \(body.count) bytes is over the 1 MiB limit") }
        let n = UInt32(body.count)
        let head: [UInt8] = [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        do { try UnixSocket.writeAll(fd, head + body) } catch { throw AgentConnectionError(error.description) }
    }

    public static func receive(on fd: Int32) throws(AgentConnectionError) -> JSONValue {
        do {
            let head = try UnixSocket.readExactly(fd, count: 4)
            let n = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
            guard n <= maximumSize else { throw AgentConnectionError("a message of \(n) bytes is over the 1 MiB limit") }
            let body = try UnixSocket.readExactly(fd, count: n)
            guard case .object = try JSONValue.parse(body) else { throw AgentConnectionError("a message that is not a JSON object") }
            return try JSONValue.parse(body)
        } catch let e as AgentConnectionError {
            throw e
        } catch {
            throw AgentConnectionError("\(error)")
        }
    }
}

/// The connection to the agent (or to a client) failed: closed, timed out, or a malformed message.
public struct AgentConnectionError: ReportableError, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
    /// A local socket that failed, as the credentials server's (exit 2).
    public var exitStatus: ExitStatus { .usage }
}
