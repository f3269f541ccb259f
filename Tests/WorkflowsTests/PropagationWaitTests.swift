import AWSCore
import Synchronization
import Testing
import TransportTesting
@testable import Workflows

/// IAM's propagation wait on a manual clock: the waits it makes, what it says, when it gives up.
struct PropagationWaitTests {
    static let unknownKey = AWSError.service(AWSServiceError(code: "InvalidClientTokenId", message: "", httpStatus: 403))

    final class Lines: Sendable {
        private let all = Mutex<[String]>([])
        func add(_ line: String) { all.withLock { $0.append(line) } }
        var lines: [String] { all.withLock { $0 } }
    }

    /// Runs a call refused `refusals` times as an unknown key, then answering.
    func run(refusals: Int, timeout: Double, clock: ManualClock, told: Lines, progress: Lines) -> (Result<Int, AWSError>, calls: Int) {
        var calls = 0
        let wait = PropagationWait(timeout: timeout, clock: clock, onWait: told.add, progress: progress.add)
        let result = Result { () throws(AWSError) -> Int in
            try wait.run("sts:GetCallerIdentity") { () throws(AWSError) -> Int in
                calls += 1
                clock.advance(0.1)   // each call takes a little time
                if calls <= refusals { throw Self.unknownKey }
                return calls
            }
        }
        return (result, calls)
    }

    @Test func waitsOneTwoFourSecondsThenAnswers() throws {
        let clock = ManualClock(), told = Lines(), progress = Lines()
        let (result, calls) = run(refusals: 3, timeout: 60, clock: clock, told: told, progress: progress)
        #expect(try result.get() == 4 && calls == 4)
        #expect(clock.sleeps == [1, 2, 4])
        #expect(told.lines == ["sts:GetCallerIdentity: InvalidClientTokenId; waiting for IAM to propagate the new key (up to 60 s)"])
        #expect(progress.lines.count == 3)
        #expect(progress.lines[2] == "waiting for IAM to propagate the new key · 3 s of 60 · attempt 3 refused (InvalidClientTokenId)")
    }

    @Test func givesUpWithinTheLimit() {
        let clock = ManualClock(), told = Lines(), progress = Lines()
        let (result, calls) = run(refusals: 1000, timeout: 60, clock: clock, told: told, progress: progress)
        guard case .failure(.service(let e)) = result else { Issue.record("expected the refusal"); return }
        #expect(e.code == "InvalidClientTokenId")
        #expect(Array(clock.sleeps.prefix(5)) == [1, 2, 4, 5, 5])
        #expect(clock.monotonic() <= 60.2 && clock.slept > 54)
        #expect(calls == clock.sleeps.count + 1 && told.lines.count == 1)
    }

    /// A short limit is checked often: no wait longer than a tenth of it.
    @Test func aShortLimitIsCheckedOften() {
        let clock = ManualClock(), told = Lines(), progress = Lines()
        _ = run(refusals: 1000, timeout: 3, clock: clock, told: told, progress: progress)
        #expect(clock.sleeps.allSatisfy { abs($0 - 0.3) < 1e-9 } && clock.sleeps.count >= 7)
        #expect(clock.monotonic() <= 3.1)
    }

    @Test func noLimitMeansNoWaitAndNoWord() {
        let clock = ManualClock(), told = Lines(), progress = Lines()
        let (result, calls) = run(refusals: 1, timeout: 0, clock: clock, told: told, progress: progress)
        #expect(throws: AWSError.self) { try result.get() }
        #expect(calls == 1 && clock.sleeps.isEmpty && told.lines.isEmpty)
    }

    @Test func otherErrorsAreNotWaitedFor() {
        let clock = ManualClock()
        var calls = 0
        let wait = PropagationWait(timeout: 60, clock: clock, onWait: { _ in })
        #expect(throws: AWSError.self) {
            try wait.run("x") { () throws(AWSError) -> Int in
                calls += 1
                throw .service(AWSServiceError(code: "AccessDenied", message: "", httpStatus: 403))
            }
        }
        #expect(calls == 1 && clock.sleeps.isEmpty)
    }

    /// The rotation's own wait: STS refuses the new key three times, the rotation waits on the
    /// session's clock and finishes.
    @Test func aRotationWaitsForPropagationOnTheSessionsClock() throws {
        let w = RotationWorld()
        w.fake.iam.refuseNewKeysInSTS(calls: 3)
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(w.keyIds == [result.newKeyId])
        #expect(w.home.clock.sleeps == [1, 2, 4])
        #expect(lines.all.contains { $0.contains("waiting for IAM to propagate the new key (up to 60 s)") })
    }
}
