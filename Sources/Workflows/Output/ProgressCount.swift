import AWSCore
import Synchronization

/// A running count for a progress line, with its rate since it started: `read 340 parameters ·
/// 170/s`, `wrote 12 of 40 parameters · 9/s`. Safe to add to from many threads; each change is
/// told to `report` (which shows it only on a terminal: `ProgressLine`).
public final class ProgressCount: Sendable {
    private let started = MonotonicClock.now()
    private let count = Mutex(0)
    private let verb: String
    private let noun: String
    private let total: Int?
    private let report: @Sendable (String) -> Void

    public init(_ verb: String, _ noun: String, total: Int? = nil, report: @escaping @Sendable (String) -> Void) {
        self.verb = verb
        self.noun = noun
        self.total = total
        self.report = report
    }

    /// Adds `n` and reports the new count. Reported under the lock, so that threads finishing
    /// together never show a count going down.
    public func add(_ n: Int = 1) {
        count.withLock { c in
            c += n
            report(Self.line(verb, c, of: total, noun, elapsed: MonotonicClock.now() - started))
        }
    }

    /// Sets the count (a listing's running total) and reports it.
    public func set(_ n: Int) {
        count.withLock { c in
            c = n
            report(Self.line(verb, n, of: total, noun, elapsed: MonotonicClock.now() - started))
        }
    }

    /// `read 340 parameters · 170/s`; `wrote 12 of 40 parameters · 9/s`.
    public static func line(_ verb: String, _ done: Int, of total: Int?, _ noun: String, elapsed: Double) -> String {
        var s = "\(verb) \(done)"
        if let total { s += " of \(total)" }
        return s + " \(noun) · \(rate(done, elapsed))"
    }

    /// `170/s`, or `2.5/s` below ten a second.
    public static func rate(_ done: Int, _ elapsed: Double) -> String {
        guard elapsed > 0 else { return "-/s" }
        let r = Double(done) / elapsed
        if r >= 10 { return "\(Int(r.rounded()))/s" }
        return "\(Double(Int((r * 10).rounded())) / 10)/s"
    }
}
