/// A request that got no HTTP answer. Its message never carries request content.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case dnsFailure = "DNS lookup failed"
        case connectionFailed = "could not connect"
        case timeout = "timed out"
        case tlsFailure = "TLS failure"
        case connectionReset = "connection lost"
        case truncated = "response truncated"
        case proxyFailure = "proxy failure"
        case invalidRequest = "invalid request"
        case responseTooLarge = "response too large"
        case other = "transfer failed"
    }

    public var kind: Kind
    public var host: String
    public var detail: String
    /// False when no connection was ever made (refused, unreachable, connect timeout): the
    /// metadata providers then know there is no server, rather than a slow one.
    public var connected: Bool

    public init(kind: Kind, host: String, detail: String, connected: Bool = true) {
        self.kind = kind
        self.host = host
        self.detail = detail
        self.connected = connected
    }

    public var isTimeout: Bool { kind == .timeout }

    public var description: String {
        "\(kind.rawValue) talking to \(host): \(detail)"
    }
}
