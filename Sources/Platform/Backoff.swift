/// The waits between attempts: the delay before retry number n (1 for the first retry).
public struct Backoff: Sendable {
    let delay: @Sendable (Int) -> Double

    public init(_ delay: @escaping @Sendable (Int) -> Double) { self.delay = delay }

    /// The delay before retry number `retry` (1 for the first).
    public func delay(beforeRetry retry: Int) -> Double { delay(retry) }

    /// `first`, then twice the previous, never more than `maximum`: 1, 2, 4, 5, 5… for (1, 5).
    public static func doubling(from first: Double, maximum: Double) -> Backoff {
        Backoff { retry in
            var d = first
            for _ in 1..<max(1, retry) where d < maximum { d *= 2 }
            return min(d, maximum)
        }
    }

    /// The same wait every time.
    public static func fixed(_ seconds: Double) -> Backoff { Backoff { _ in seconds } }

    /// Nothing between attempts.
    public static let none = Backoff { _ in 0 }
}
