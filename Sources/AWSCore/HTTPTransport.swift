import Synchronization

/// Sends requests over libcurl. Keeps a pool of easy handles so that each thread reuses a handle
/// (and its kept-alive connections) and concurrent callers never share one.
public final class HTTPTransport: Sendable {
    public let options: TransportOptions
    private let idleHandles = Mutex<[CurlHandle]>([])

    public init(options: TransportOptions = TransportOptions()) {
        self.options = options
    }

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        guard let handle = idleHandles.withLock({ $0.popLast() }) ?? CurlHandle() else {
            throw TransportError(kind: .other, host: request.url.hostHeader,
                                 detail: CurlHandle.unavailableReason ?? "libcurl could not create a handle")
        }
        defer { idleHandles.withLock { $0.append(handle) } }
        return try handle.perform(request, options: options)
    }
}
