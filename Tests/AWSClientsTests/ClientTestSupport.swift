@testable import AWSClients
import AWSCore
import SigV4
import Synchronization
import Testing
import TransportTesting

/// Keys, endpoints and cores for tests that drive clients over a `ScriptedTransport`.
enum Fixture {
    static let keys = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let otherKeys = SigningCredentials(accessKeyId: "AKIDOTHER", secretAccessKey: "otherSecretKey0000000000000000000000000000")

    /// A core whose waits are on `time` (a manual clock: they take no time).
    static func core(_ transport: any HTTPTransport, maxAttempts: Int = 3, quota: RetryQuota = RetryQuota(),
                     clock: ClockSkew = ClockSkew(), time: ManualClock = ManualClock()) -> ClientCore {
        ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: maxAttempts), retryQuota: quota, clock: clock, time: time)
    }

    static func client(_ transport: any HTTPTransport, maxAttempts: Int = 3) -> AWSClient {
        AWSClient(core: core(transport, maxAttempts: maxAttempts), keys: FixedSigningKeys(keys))
    }

    static func endpoint(_ host: String, region: String = "us-east-1") -> ResolvedEndpoint {
        ResolvedEndpoint(url: RequestURL(scheme: "https", host: host), signingRegion: region, source: "test")
    }

    static let sts = endpoint("sts.us-east-1.amazonaws.com")
    static let iam = endpoint("iam.amazonaws.com")
    static let ssm = endpoint("ssm.eu-west-1.amazonaws.com", region: "eu-west-1")

    /// A plain idempotent POST to STS.
    static func request(_ safety: RepeatSafety = .idempotent, headers: [(name: String, value: String)] = []) -> HTTPRequest {
        HTTPRequest(method: "POST", url: sts.url, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")] + headers,
                    body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8), safety: safety)
    }

    static let ok = ScriptedAnswer.status(200, "<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>")
    static let internalError = ScriptedAnswer.status(500, "<ErrorResponse><Error><Code>InternalFailure</Code><Message>oops</Message></Error></ErrorResponse>")
    static let throttled = ScriptedAnswer.status(400, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
    static let accessDenied = ScriptedAnswer.status(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>")
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for `seconds` since 1970.
func httpDate(_ seconds: Int) -> String {
    let t = CivilTime(epochSeconds: seconds)
    let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((seconds / 86_400) % 7 + 7) % 7]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(days), \(two(t.day)) \(months[t.month - 1]) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
}

/// A key source whose keys a test replaces, as refreshed credentials are.
final class ChangingKeys: SigningKeySource {
    private let current: Mutex<SigningCredentials>
    init(_ keys: SigningCredentials) { current = Mutex(keys) }
    func replace(with keys: SigningCredentials) { current.withLock { $0 = keys } }
    func signingCredentials() throws(AWSError) -> SigningCredentials { current.withLock { $0 } }
}

extension AWSError {
    var serviceCode: String? { if case .service(let e) = self { return e.code } else { return nil } }
    var transportKind: TransportError.Kind? { if case .transport(let t) = self { return t.kind } else { return nil } }
    var isInvalidResponse: Bool { if case .invalidResponse = self { return true } else { return false } }
}

/// The error `body` throws, or nil.
func thrown<T>(_ body: () throws(AWSError) -> T) -> AWSError? {
    do { _ = try body(); return nil } catch { return error }
}

/// Runs `body` with a client whose transport answers `answer` once; returns the result and the request sent.
func exchange<T>(_ answer: HTTPResponse, _ body: (AWSClient) throws(AWSError) -> T) throws -> (result: T, request: RecordedRequest) {
    let transport = ScriptedTransport([.response(answer)])
    let result = try body(Fixture.client(transport))
    let requests = transport.requests
    try #require(requests.count == 1, "one request sent, not \(requests.count)")
    return (result, requests[0])
}

/// The error `body` throws when the transport answers `answer`.
func failure<T>(_ answer: HTTPResponse, _ body: (AWSClient) throws(AWSError) -> T) -> AWSError? {
    let transport = ScriptedTransport([.response(answer)])
    return thrown { () throws(AWSError) in try body(Fixture.client(transport)) }
}

/// Checks a query-protocol request: a form POST to `/` of `Action`, `Version` and `parameters` in order.
func expectQuery(_ r: RecordedRequest, _ action: String, version: String, _ parameters: [(String, String)], safety: RepeatSafety,
                 service: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.method == "POST" && r.url.path == "/", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8", sourceLocation: sourceLocation)
    let expected = [("Action", action), ("Version", version)] + parameters
    #expect(r.formPairs.map { "\($0.name)=\($0.value)" } == expected.map { "\($0.0)=\($0.1)" }, sourceLocation: sourceLocation)
    #expect(r.safety == safety, "\(action) safety", sourceLocation: sourceLocation)
    #expect(r.credential?.service == service, sourceLocation: sourceLocation)
}

/// Checks a JSON-protocol request: a POST to `/` with `X-Amz-Target` and a body equal to `body` (member order aside).
func expectJSON(_ r: RecordedRequest, target: String, version: String, _ body: String, safety: RepeatSafety, service: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.method == "POST" && r.url.path == "/", sourceLocation: sourceLocation)
    #expect(r.header("X-Amz-Target") == target, sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == "application/x-amz-json-\(version)", sourceLocation: sourceLocation)
    let expected = try? JSONValue.parse(body)
    #expect(expected != nil, "the expected body is JSON", sourceLocation: sourceLocation)
    #expect(r.json.map(sortedMembers) == expected.map(sortedMembers), "\(r.bodyText)", sourceLocation: sourceLocation)
    #expect(r.safety == safety, "\(target) safety", sourceLocation: sourceLocation)
    #expect(r.credential?.service == service, sourceLocation: sourceLocation)
}

/// `value` with every object's members sorted by name, so that two documents compare whatever their order.
func sortedMembers(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members): return .object(members.map { ($0.0, sortedMembers($0.1)) }.sorted { $0.0 < $1.0 })
    case .array(let items): return .array(items.map(sortedMembers))
    default: return value
    }
}

/// Checks that `error` is an unreadable-answer error of `operation`.
func expectInvalidResponse(_ error: AWSError?, _ operation: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .invalidResponse(let op, _)? = error else {
        Issue.record("expected invalidResponse from \(operation), got \(error.map { "\($0)" } ?? "success")", sourceLocation: sourceLocation)
        return
    }
    #expect(op == operation, sourceLocation: sourceLocation)
}
