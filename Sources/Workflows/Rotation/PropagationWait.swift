import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IAM is eventually consistent: a new key can be refused for some seconds after it was made.
/// Retries a call while the answer says "unknown key", waiting 1, 2, 4, 5, 5… seconds, until
/// `timeout` seconds have passed.
public struct PropagationWait: Sendable {
    public var timeout: Double
    /// Told once, when the first attempt is refused.
    public var onWait: @Sendable (String) -> Void
    /// Told before each wait how long it has waited (a progress line on a terminal).
    public var progress: @Sendable (String) -> Void

    public init(timeout: Double, onWait: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.timeout = timeout
        self.onWait = onWait
        self.progress = progress
    }

    /// The answers that mean "not propagated yet" for a key that was just created.
    public static let notYetCodes: Set<String> = ["InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure", "UnrecognizedClientException"]

    public func run<T>(_ what: String, _ call: () throws(AWSError) -> T) throws(AWSError) -> T {
        let started = MonotonicClock.now()
        var delay = 1.0
        var told = false
        var attempt = 1
        while true {
            do {
                return try call()
            } catch {
                guard case .service(let e) = error, Self.notYetCodes.contains(e.code) else { throw error }
                let elapsed = MonotonicClock.now() - started
                guard elapsed + delay <= timeout else { throw error }
                if !told {
                    onWait("\(what): \(e.code); waiting for IAM to propagate the new key (up to \(Int(timeout)) s)")
                    told = true
                }
                progress("waiting for IAM to propagate the new key · \(Int(elapsed)) s of \(Int(timeout)) · attempt \(attempt) refused (\(e.code))")
                usleep(useconds_t(delay * 1_000_000))
                delay = min(delay * 2, 5)
                attempt += 1
            }
        }
    }
}
