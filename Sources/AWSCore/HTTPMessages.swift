/// Whether a request may be sent again after its answer was lost. The transport never re-sends
/// one that is not (libcurl would, when a reused keep-alive connection dies before any answer);
/// the retry policy retries it only after failures that prove it was not processed.
public enum RepeatSafety: Sendable, Equatable {
    /// Sending it twice does what sending it once does, and answers the same (reads, writes with
    /// an idempotency token, puts of the same value).
    case idempotent
    /// A second send may do something again or answer differently (create a second key, write a
    /// second version, report "not found" for what the first send deleted).
    case notIdempotent
}

/// An HTTP request ready to send: the URL as typed, headers in order, the body's bytes.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: RequestURL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Not idempotent unless said otherwise: forgetting to say costs a fresh connection, never a
    /// second key.
    public var safety: RepeatSafety

    public init(method: String, url: RequestURL, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                safety: RepeatSafety = .notIdempotent) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.safety = safety
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// An HTTP response exactly as received: status, headers in order, body bytes.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
