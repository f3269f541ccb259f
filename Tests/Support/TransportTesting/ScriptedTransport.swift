import AWSCore
import Synchronization

/// What a scripted transport does with one request: answer it, or fail with no answer.
public enum ScriptedAnswer: Sendable {
    case response(HTTPResponse)
    case failure(TransportError)

    /// An answer with `status` and a UTF-8 body.
    public static func status(_ status: Int, _ body: String = "", headers: [(name: String, value: String)] = []) -> ScriptedAnswer {
        .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    /// A connection that was made and then dropped before any answer: the request may have been processed.
    public static let reset = ScriptedAnswer.failure(TransportError(kind: .connectionReset, host: "fake", detail: "connection reset by peer", connected: true))
    /// No answer within the read timeout, after the request went out.
    public static let timeout = ScriptedAnswer.failure(TransportError(kind: .timeout, host: "fake", detail: "read timed out", connected: true))
    /// A connection never made: nothing was sent.
    public static let refused = ScriptedAnswer.failure(TransportError(kind: .connectionFailed, host: "fake", detail: "connection refused", connected: false))
}

/// An `HTTPTransport` that answers from a queue of scripted answers, or from a closure, and
/// records every request it is given (with its `safety`). Thread-safe.
public final class ScriptedTransport: HTTPTransport {
    private struct State {
        var queue: [ScriptedAnswer] = []
        var requests: [RecordedRequest] = []
    }

    private let state = Mutex(State())
    private let handler: (@Sendable (RecordedRequest) -> ScriptedAnswer)?

    /// Answers `answers` in order; a request beyond them fails (`.other`, "no scripted answer left").
    public init(_ answers: [ScriptedAnswer] = []) {
        handler = nil
        state.withLock { $0.queue = answers }
    }

    /// Answers each request with `handler`'s answer, once the queue is empty.
    public init(handler: @escaping @Sendable (RecordedRequest) -> ScriptedAnswer) {
        self.handler = handler
    }

    /// Adds answers to the end of the queue.
    public func enqueue(_ answers: ScriptedAnswer...) {
        state.withLock { $0.queue += answers }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// How many scripted answers are still unused.
    public var remainingAnswers: Int { state.withLock { $0.queue.count } }

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let recorded = RecordedRequest(request)
        let queued: ScriptedAnswer? = state.withLock { s in
            s.requests.append(recorded)
            return s.queue.isEmpty ? nil : s.queue.removeFirst()
        }
        guard let answer = queued ?? handler?(recorded) else {
            throw TransportError(kind: .other, host: request.url.hostHeader, detail: "no scripted answer left", connected: false)
        }
        switch answer {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}
