import AWSCore

/// IAM is eventually consistent: a new key can be refused for some seconds after it was made.
/// Retries a call while the answer says "unknown key", waiting 1, 2, 4, 5, 5… seconds (never
/// more than a tenth of the limit, so that a short limit is checked often), until `timeout`
/// seconds have passed.
public struct PropagationWait: Sendable {
    public var timeout: Double
    /// Told once, when the first attempt is refused.
    public var onWait: @Sendable (String) -> Void
    /// Told before each wait how long it has waited (a progress line on a terminal).
    public var progress: @Sendable (String) -> Void
    public var clock: any RunClock

    public init(timeout: Double, clock: any RunClock = SystemClock(), onWait: @escaping @Sendable (String) -> Void,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.timeout = timeout
        self.clock = clock
        self.onWait = onWait
        self.progress = progress
    }

    /// The answers that mean "not propagated yet" for a key that was just created.
    public static let notYetCodes: Set<String> = ["InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure", "UnrecognizedClientException"]

    /// The waits: doubling from 1 s up to 5 s, and at most a tenth of the limit.
    public var waiter: Waiter {
        let longest = min(5, max(timeout / 10, 0.05))
        return Waiter(backoff: .doubling(from: min(1, longest), maximum: longest), timeout: timeout, clock: clock)
    }

    public func run<T>(_ what: String, _ call: () throws(AWSError) -> T) throws(AWSError) -> T {
        var told = false
        return try waiter.run(call, retrying: { (error: AWSError) in
            guard case .service(let e) = error else { return false }
            return Self.notYetCodes.contains(e.code)
        }, beforeWait: { error, loop, _ in
            guard case .service(let e) = error else { return }
            let code = e.code
            if !told {
                onWait("\(what): \(code); waiting for IAM to propagate the new key (up to \(Int(timeout)) s)")
                told = true
            }
            progress("waiting for IAM to propagate the new key · \(Int(loop.elapsed)) s of \(Int(timeout)) · attempt \(loop.attempt) refused (\(code))")
        })
    }
}
