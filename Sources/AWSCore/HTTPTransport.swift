import Synchronization

/// Sends one HTTP request and returns the answer exactly as received. The seam between the
/// clients and the network: libcurl in production (`CurlTransport`), a scripted fake in tests.
/// A transport never re-sends a request by itself.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse
}

/// Sends requests over libcurl. Keeps a pool of easy handles so that each thread reuses a handle
/// (and its kept-alive connections) and concurrent callers never share one. A request that is
/// not idempotent goes over a fresh connection, so that libcurl never re-sends it.
public final class CurlTransport: HTTPTransport {
    public let options: TransportOptions
    private let idleHandles = Mutex<[CurlHandle]>([])

    public init(options: TransportOptions = TransportOptions()) {
        self.options = options
    }

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        try HeaderRules.check(request)
        guard let handle = idleHandles.withLock({ $0.popLast() }) ?? CurlHandle() else {
            throw TransportError(kind: .other, host: request.url.hostHeader,
                                 detail: CurlHandle.unavailableReason ?? "libcurl could not create a handle", connected: false)
        }
        defer { idleHandles.withLock { $0.append(handle) } }
        return try handle.perform(request, options: options)
    }
}
