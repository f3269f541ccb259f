import AWSCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a fault does to the next call of an operation.
public enum Fault: Sendable, Equatable {
    /// The call fails without taking effect.
    case before(FakeFailure)
    /// The call takes effect, then its answer is lost to this failure.
    case loseAnswer(FakeFailure)
    /// Throttled (HTTP 400 `Throttling` / `ThrottlingException`): not processed.
    case throttle
    /// The call takes effect and answers 200 with a body that is not the service's format.
    case garbage
}

/// A fake AWS account behind one `HTTPTransport`: IAM and STS (`iam`) and Parameter Store
/// (`ssm`), each with state, checking every request's SigV4 signature against the keys IAM
/// holds. Requests are routed by the service of their credential scope. Faults can be
/// injected per operation, and hooks run before or after an operation (to change files
/// between a workflow's steps). Every request is recorded. Thread-safe.
public final class FakeAWS: HTTPTransport {
    public let iam: FakeIAM
    public let ssm: FakeSSM

    public typealias Hook = @Sendable (RecordedRequest) -> Void

    private struct HookEntry {
        var operation: String
        var once: Bool
        var action: Hook
    }

    private struct State {
        var faults: [String: [Fault]] = [:]
        var requests: [RecordedRequest] = []
        var before: [HookEntry] = []
        var after: [HookEntry] = []
        var inFlight: [String: Int] = [:]
        var maxInFlight: [String: Int] = [:]
    }

    private let state = Mutex(State())

    public init(account: String = "123456789012", region: String = "us-east-1") {
        iam = FakeIAM(account: account)
        ssm = FakeSSM(account: account, region: region)
    }

    // MARK: Setting up

    /// The next `times` calls of `operation` (e.g. `CreateAccessKey`) meet `fault`, after any already queued.
    public func inject(_ fault: Fault, into operation: String, times: Int = 1) {
        state.withLock { $0.faults[operation, default: []] += Array(repeating: fault, count: times) }
    }

    /// Runs `action` when a call of `operation` arrives, before the fake looks at it.
    public func before(_ operation: String, once: Bool = false, _ action: @escaping Hook) {
        state.withLock { $0.before.append(HookEntry(operation: operation, once: once, action: action)) }
    }

    /// Runs `action` after a call of `operation` was handled (taken effect or not), before it is answered.
    public func after(_ operation: String, once: Bool = false, _ action: @escaping Hook) {
        state.withLock { $0.after.append(HookEntry(operation: operation, once: once, action: action)) }
    }

    /// Holds the first `count` calls of `operation` until all of them have arrived (or until
    /// `seconds` have passed), so that they are in progress at once when the caller makes
    /// them concurrently: `maxConcurrent` then shows the overlap, without a test sleeping.
    public func gather(_ operation: String, count: Int, within seconds: Double) {
        before(operation) { [weak self] _ in
            guard let self else { return }
            let deadline = MonotonicClock.now() + seconds
            while self.state.withLock({ s in s.requests.filter { $0.operation == operation }.count }) < count, MonotonicClock.now() < deadline {
                sched_yield()
            }
        }
    }

    // MARK: Looking

    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// The requests of one operation, in order.
    public func requests(_ operation: String) -> [RecordedRequest] { requests.filter { $0.operation == operation } }

    /// The most calls of `operation` that were in progress at the same time.
    public func maxConcurrent(_ operation: String) -> Int { state.withLock { $0.maxInFlight[operation, default: 0] } }

    /// Faults injected and not yet met.
    public var pendingFaults: [String: Int] { state.withLock { $0.faults.filter { !$0.value.isEmpty }.mapValues(\.count) } }

    // MARK: Answering

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let call = RecordedRequest(request)
        let operation = call.operation ?? "\(request.method) \(request.url.path)"
        let before = state.withLock { s -> [Hook] in
            s.requests.append(call)
            s.inFlight[operation, default: 0] += 1
            s.maxInFlight[operation] = max(s.maxInFlight[operation, default: 0], s.inFlight[operation, default: 0])
            return Self.take(&s.before, for: operation)
        }
        defer { state.withLock { $0.inFlight[operation, default: 0] -= 1 } }
        for hook in before { hook(call) }

        let fault = state.withLock { s -> Fault? in
            guard var queue = s.faults[operation], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            s.faults[operation] = queue
            return first
        }
        let isJSON = call.credential?.service == "ssm"
        switch fault {
        case .before(let failure)?:
            return try answer(failure, isJSON: isJSON)
        case .throttle?:
            return isJSON ? JSONAnswer.error("ThrottlingException", "Rate exceeded") : QueryAnswer.error("Throttling", "Rate exceeded", status: 400)
        default:
            break
        }
        let response = route(call)
        let after = state.withLock { Self.take(&$0.after, for: operation) }
        for hook in after { hook(call) }
        switch fault {
        case .loseAnswer(let failure)?:
            return try answer(failure, isJSON: isJSON)
        case .garbage?:
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html><body>502 Bad Gateway".utf8))
        default:
            return response
        }
    }

    private func route(_ call: RecordedRequest) -> HTTPResponse {
        guard let scope = call.credential else {
            return QueryAnswer.error("MissingAuthenticationToken", "Request is missing Authentication Token", status: 403)
        }
        switch iam.authenticate(call) {
        case .failure(let refusal):
            return scope.service == "ssm" ? JSONAnswer.error(refusal.code, refusal.message, status: refusal.status)
                : QueryAnswer.error(refusal.code, refusal.message, status: refusal.status)
        case .success(let caller):
            switch scope.service {
            case "iam": return iam.handleIAM(call, caller: caller)
            case "sts": return iam.handleSTS(call, caller: caller)
            case "ssm": return ssm.handle(call, caller: caller)
            default: return QueryAnswer.error("UnknownService", "the fake does not serve \(scope.service)", status: 400)
            }
        }
    }

    private func answer(_ failure: FakeFailure, isJSON: Bool) throws(TransportError) -> HTTPResponse {
        if let error = failure.transportError { throw error }
        switch failure {
        case .serviceError(let code, let status):
            return isJSON ? JSONAnswer.error(code, "injected \(code)", status: status) : QueryAnswer.error(code, "injected \(code)", status: status)
        default:
            return isJSON ? JSONAnswer.error("InternalServerError", "internal error", status: 500)
                : QueryAnswer.error("ServiceFailure", "The request processing has failed because of an unknown error.", status: 500)
        }
    }

    /// The hooks for `operation`, removing the one-shot ones.
    private static func take(_ hooks: inout [HookEntry], for operation: String) -> [Hook] {
        let matching = hooks.filter { $0.operation == operation }.map(\.action)
        hooks.removeAll { $0.operation == operation && $0.once }
        return matching
    }
}

/// Why the fake refused a request's credentials.
public struct AuthRefusal: Error, Sendable {
    public var code: String
    public var message: String
    public var status: Int
}
