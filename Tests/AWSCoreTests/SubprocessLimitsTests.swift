import Foundation
import Testing
@testable import AWSCore

/// Every command credctl waits for runs within `Subprocess.Limits`: a time limit (its process
/// group ended), reading that stops when it exits, bounded output, and no secret-store variable
/// in its environment.
struct SubprocessLimitsTests {
    let env = ["PATH": "/usr/bin:/bin"]

    @Test func aCommandPastItsTimeLimitIsEnded() throws {
        let started = Date()
        let result = try Subprocess.run(["sh", "-c", "echo begun; exec sleep 30"], environment: env,
                                        limits: .init(timeout: 0.3, grace: 0.5))
        #expect(result.timedOut && result.status == 128 + SIGTERM)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "begun\n")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aCommandIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let started = Date()
        let result = try Subprocess.run(["sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"], environment: env,
                                        limits: .init(timeout: 0.2, ownProcessGroup: true, grace: 0.3))
        #expect(result.timedOut && result.status == 128 + SIGKILL)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func theWholeProcessGroupIsEndedAtTheTimeLimit() throws {
        let pidFile = NSTemporaryDirectory() + "credctl-bg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let result = try Subprocess.run(["sh", "-c", "sleep 30 & echo $! > \"$0\"; wait", pidFile], environment: env,
                                        limits: .init(timeout: 0.3, ownProcessGroup: true, grace: 0.5))
        #expect(result.timedOut)
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Reaped by init or a zombie at most: give it a moment, then it must not run.
        var alive = true
        for _ in 0..<50 where alive {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")[2]
            alive = state != nil && state != "Z"
            if alive { usleep(20_000) }
        }
        #expect(!alive, "the background sleep of the command was ended with it")
    }

    @Test func readingStopsWhenTheCommandExitsThoughABackgroundChildHoldsItsOutput() throws {
        let started = Date()
        let result = try Subprocess.run(["sh", "-c", "sleep 30 & echo done"], environment: env, input: Array("x".utf8))
        #expect(result.status == 0 && !result.timedOut && String(decoding: result.standardOutput, as: UTF8.self) == "done\n")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func sixtyFourMegabytesKeepOnlyTheLastLines() throws {
        let result = try Subprocess.run(["sh", "-c", "head -c 67108864 /dev/zero | tr '\\0' 'a'; echo; echo last line"], environment: env,
                                        limits: .init(outputBytes: 65536, keep: .last))
        #expect(result.status == 0 && result.outputExceeded)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "last line\n", "the partial first line is dropped")
    }

    @Test func theFirstBytesAreKeptAndTheExcessNoted() throws {
        let result = try Subprocess.run(["sh", "-c", "head -c 5000000 /dev/zero"], environment: env, limits: .init(outputBytes: 1000))
        #expect(result.status == 0 && result.outputExceeded && result.standardOutput == [UInt8](repeating: 0, count: 1000))
    }

    @Test func noChildSeesTheSecretStoreVariables() throws {
        var variables = env
        for name in ChildEnvironment.withheld { variables[name] = "hunter2-\(name)" }
        variables["KEEP_ME"] = "yes"
        let result = try Subprocess.run(["env"], environment: variables)
        let printed = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(!printed.contains("hunter2") && printed.contains("KEEP_ME=yes"))
        let fed = try Subprocess.run(["env"], environment: variables, input: [1])
        #expect(!String(decoding: fed.standardOutput, as: UTF8.self).contains("hunter2"))
    }

    // MARK: The rules alone, on given times

    @Test func theDeadlineTerminatesThenKills() {
        let d = CommandDeadline(started: 100, timeout: 10, grace: 2)
        #expect(d.action(at: 100, terminated: false) == .wait(0.05))
        #expect(d.action(at: 109.5, terminated: false, tick: 1) == .wait(0.5))
        #expect(d.action(at: 110, terminated: false) == .terminate)
        #expect(d.action(at: 111, terminated: true, tick: 5) == .wait(1))
        #expect(d.action(at: 112, terminated: true) == .kill)
    }

    @Test func aTailWithDroppedBytesStartsAtALineBoundary() {
        var tail = OutputCapture(limit: 10, keep: .last)
        tail.append(Array("SECRETSECRET\nok\n".utf8)[...])
        #expect(String(decoding: tail.bytes, as: UTF8.self) == "ok\n" && tail.exceeded)
        var whole = OutputCapture(limit: 10, keep: .last)
        whole.append(Array("a\nb\n".utf8)[...])
        #expect(String(decoding: whole.bytes, as: UTF8.self) == "a\nb\n" && !whole.exceeded)
        var noLine = OutputCapture(limit: 4, keep: .last)
        noLine.append(Array("SECRETSECRET".utf8)[...])
        #expect(noLine.bytes.isEmpty, "a secret cut by the limit is never shown in part")
    }
}
