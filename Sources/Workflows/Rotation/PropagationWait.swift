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

    public init(timeout: Double, onWait: @escaping @Sendable (String) -> Void) {
        self.timeout = timeout
        self.onWait = onWait
    }

    /// The answers that mean "not propagated yet" for a key that was just created.
    public static let notYetCodes: Set<String> = ["InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure", "UnrecognizedClientException"]

    public func run<T>(_ what: String, _ call: () throws(AWSError) -> T) throws(AWSError) -> T {
        let started = MonotonicClock.now()
        var delay = 1.0
        var told = false
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
                usleep(useconds_t(delay * 1_000_000))
                delay = min(delay * 2, 5)
            }
        }
    }
}
