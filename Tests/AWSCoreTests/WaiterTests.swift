import AWSCore
import Testing
import TransportTesting

struct BackoffTests {
    @Test func doublingIsCapped() {
        let b = Backoff.doubling(from: 1, maximum: 5)
        #expect((1...6).map { b.delay(beforeRetry: $0) } == [1, 2, 4, 5, 5, 5])
        let half = Backoff.doubling(from: 0.5, maximum: 5)
        #expect((1...5).map { half.delay(beforeRetry: $0) } == [0.5, 1, 2, 4, 5])
        #expect(Backoff.doubling(from: 1, maximum: 5).delay(beforeRetry: 10_000) == 5)
    }

    @Test func retryPolicyBackoffIsFullJitterUnderTheCap() {
        let p = RetryPolicy(maxAttempts: 10, maxBackoff: 20)
        for retry in 1...8 {
            let d = p.backoff.delay(beforeRetry: retry)
            #expect(d >= 0 && d <= min(20, Double(1 << (retry - 1))))
        }
    }
}

struct WaiterTests {
    struct NotYet: Error, Equatable { var n: Int }

    /// A call refused `refusals` times, then answering.
    final class Flaky: @unchecked Sendable {
        var calls = 0
        let refusals: Int
        init(_ refusals: Int) { self.refusals = refusals }
        func call() throws(NotYet) -> String {
            calls += 1
            if calls <= refusals { throw NotYet(n: calls) }
            return "done"
        }
    }

    @Test func retriesWhileNotYetWaitingTheBackoff() throws {
        let clock = ManualClock()
        let flaky = Flaky(3)
        let waiter = Waiter(backoff: .doubling(from: 1, maximum: 5), timeout: 60, clock: clock)
        var told: [(Int, Double)] = []
        let answer = try waiter.run(flaky.call, retrying: { _ in true }, beforeWait: { _, loop, delay in told.append((loop.attempt, delay)) })
        #expect(answer == "done" && flaky.calls == 4)
        #expect(clock.sleeps == [1, 2, 4])
        #expect(told.map(\.0) == [1, 2, 3] && told.map(\.1) == [1, 2, 4])
    }

    @Test func theDeadlineStopsBeforeAWaitThatWouldPassIt() {
        let clock = ManualClock()
        let flaky = Flaky(100)
        let waiter = Waiter(backoff: .doubling(from: 1, maximum: 5), timeout: 10, clock: clock)
        #expect(throws: NotYet(n: 4)) { try waiter.run(flaky.call, retrying: { _ in true }) }
        // 1 + 2 + 4 = 7 s; the next wait (5 s) would end after 10 s, so the fourth refusal is the last.
        #expect(clock.sleeps == [1, 2, 4] && clock.slept <= 10)
    }

    @Test func timeSpentInTheCallCountsTowardsTheDeadline() {
        let clock = ManualClock()
        var calls = 0
        let waiter = Waiter(backoff: .fixed(1), timeout: 10, clock: clock)
        #expect(throws: NotYet.self) {
            try waiter.run({ () throws(NotYet) -> Int in
                calls += 1
                clock.advance(3)   // each call takes 3 s
                throw NotYet(n: calls)
            }, retrying: { _ in true })
        }
        // Calls end at 3, 7 (after a 1 s wait), 11: no wait after the third, past the limit.
        #expect(calls == 3 && clock.sleeps == [1, 1])
    }

    @Test func maxAttemptsCountsTheFirst() {
        let clock = ManualClock()
        let flaky = Flaky(100)
        #expect(throws: NotYet(n: 3)) { try Waiter(backoff: .fixed(0.5), maxAttempts: 3, clock: clock).run(flaky.call, retrying: { _ in true }) }
        #expect(clock.sleeps == [0.5, 0.5])
    }

    @Test func anErrorThatIsNotNotYetIsThrownAtOnce() {
        let clock = ManualClock()
        let flaky = Flaky(100)
        #expect(throws: NotYet(n: 1)) { try Waiter(backoff: .fixed(1), timeout: 60, clock: clock).run(flaky.call, retrying: { _ in false }) }
        #expect(flaky.calls == 1 && clock.sleeps.isEmpty)
    }

    @Test func zeroTimeoutNeverWaits() {
        let clock = ManualClock()
        let flaky = Flaky(1)
        #expect(throws: NotYet(n: 1)) { try Waiter(backoff: .fixed(1), timeout: 0, clock: clock).run(flaky.call, retrying: { _ in true }) }
        #expect(clock.sleeps.isEmpty)
    }

    /// A loop that sets its own delay (a server's polling interval) still keeps the deadline.
    @Test func aLoopsOwnDelayKeepsTheDeadline() {
        let clock = ManualClock()
        var loop = Waiter(backoff: .fixed(5), timeout: 12, clock: clock).start()
        let first = loop.pause(5), second = loop.pause(6), third = loop.pause(5)   // 11 + 5 > 12
        #expect(first && second && !third)
        #expect(loop.attempt == 3 && clock.sleeps == [5, 6])
    }

    @Test func theSystemClockSleeps() {
        let clock = SystemClock()
        let started = clock.monotonic()
        clock.sleep(0.02)
        clock.sleep(0)
        clock.sleep(-1)
        #expect(clock.monotonic() - started >= 0.02)
        #expect(abs(clock.wallSeconds() - WallClock.now()) <= 1)
    }
}
