import Synchronization
import Testing
@testable import AWSCore

/// A clock that moves only when told to or slept on (by at least 1 ns, as a real clock would).
final class SteppedClock: RunClock {
    private let time: Mutex<Double>
    init(_ start: Double) { time = Mutex(start) }
    func now() -> Double { time.withLock { $0 } }
    func monotonic() -> Double { now() }
    func wallSeconds() -> Int { Int(now()) }
    func sleep(_ seconds: Double) { time.withLock { $0 += max(seconds, 1e-9) } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
}

struct AdaptiveRateLimiterTests {
    /// Replays botocore's series (AdaptiveRateLimiterVectors.swift) and compares every step (bit for bit when
    /// a wait is one sleep, as botocore's is).
    func replay(longestSleep: Double, tolerance: Double) {
        let clock = SteppedClock(AdaptiveRateLimiterVectors.start)
        let limiter = AdaptiveRateLimiter(clock: clock, longestSleep: longestSleep)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }
        for (i, (step, want)) in zip(AdaptiveRateLimiterVectors.steps, AdaptiveRateLimiterVectors.expected).enumerated() {
            clock.advance(step.advance)
            var waited = 0.0
            switch step.action {
            case "s": waited = limiter.acquire()
            default: limiter.record(throttled: step.action == "t")
            }
            let s = limiter.state
            let ok = close(waited, want.waited) && close(s.fillRate, want.fillRate) && close(s.maxCapacity, want.maxCapacity)
                && close(s.capacity, want.capacity) && close(s.measuredRate, want.measuredRate) && s.enabled == want.enabled
                && close(s.lastMaxRate, want.wMax) && close(clock.now(), want.clock)
            #expect(ok, "step \(i) (\(step.action)): got \(waited) \(s) at \(clock.now()); botocore \(want)")
            if !ok { return }
        }
    }

    @Test func matchesBotocoreStepForStep() {
        replay(longestSleep: .infinity, tolerance: 0)
    }

    @Test func matchesBotocoreWhenWaitingInSlices() {
        replay(longestSleep: 0.05, tolerance: 1e-6)
    }

    @Test func doesNotWaitBeforeTheFirstThrottle() {
        let clock = SteppedClock(10)
        let limiter = AdaptiveRateLimiter(clock: clock)
        for _ in 0..<100 {
            #expect(limiter.acquire() == 0)
            limiter.record(throttled: false)
        }
        #expect(clock.now() == 10)
        #expect(!limiter.state.enabled)
    }

    @Test func throttlingCutsTheRateToSevenTenthsOfTheMeasuredRate() {
        let clock = SteppedClock(100)
        let limiter = AdaptiveRateLimiter(clock: clock)
        // 20 answers a second for three seconds: the measured rate approaches 20.
        for _ in 0..<60 {
            clock.advance(0.05)
            limiter.record(throttled: false)
        }
        let measured = limiter.state.measuredRate
        #expect(measured > 19 && measured <= 20)
        limiter.record(throttled: true)
        let s = limiter.state
        #expect(s.enabled)
        #expect(abs(s.lastMaxRate - measured) < 1e-9)
        #expect(abs(s.fillRate - measured * 0.7) < 1e-9)
    }

    @Test func settlesNearTheServersRate() {
        // A server that admits 20 requests a second (a bucket of 20), and a client that sends as
        // fast as the limiter lets it: after the first throttles the send rate follows the limit.
        let clock = SteppedClock(0)
        let limiter = AdaptiveRateLimiter(clock: clock, longestSleep: .infinity)
        var serverTokens = 20.0, serverTime = 0.0
        var sent: [(Double, Bool)] = []
        while clock.now() < 60 {
            limiter.acquire()
            clock.advance(0.005)
            let t = clock.now()
            serverTokens = min(20, serverTokens + (t - serverTime) * 20)
            serverTime = t
            let throttled = serverTokens < 1
            if !throttled { serverTokens -= 1 }
            limiter.record(throttled: throttled)
            sent.append((t, throttled))
        }
        let late = sent.filter { $0.0 >= 30 }
        let accepted = Double(late.filter { !$0.1 }.count) / 30
        let throttledShare = Double(late.filter { $0.1 }.count) / Double(late.count)
        #expect(accepted > 15 && accepted <= 20.5, "accepted \(accepted)/s")
        #expect(throttledShare < 0.15, "throttled \(throttledShare)")
    }

    @Test func oneLimiterPerServiceSharedByAllItsClients() {
        let set = AdaptiveRateLimiters(clock: SteppedClock(0))
        #expect(set.limiter(for: "iam") === set.limiter(for: "iam"))
        #expect(set.limiter(for: "iam") !== set.limiter(for: "ssm"))
    }

    @Test func threadsTogetherTakeNoMoreThanTheFillRate() {
        // Real clock: answers every 2 ms raise the measured rate, a throttle fixes the fill rate
        // (no answer is recorded after it); then 8 threads take what the bucket holds plus half
        // a second's worth, which must take about half a second.
        let limiter = AdaptiveRateLimiter()
        for _ in 0..<300 {
            SystemClock().sleep(0.002)
            limiter.record(throttled: false)
        }
        limiter.record(throttled: true)
        let s = limiter.state
        let tokens = Int(s.capacity) + Int(s.fillRate / 2)
        let started = MonotonicClock.now()
        let waits = ConcurrentWork.map(Array(0..<tokens), width: 8) { _ in limiter.acquire() }
        let elapsed = MonotonicClock.now() - started
        #expect(elapsed > 0.4 && elapsed < 1.5, "\(tokens) tokens at \(s.fillRate)/s took \(elapsed) s")
        #expect(waits.filter { $0 > 0 }.count > tokens / 4)
    }
}
