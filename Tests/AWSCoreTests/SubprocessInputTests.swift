import Testing
@testable import AWSCore

/// `Subprocess.run(_:environment:input:)`: what secret-tool and other helpers get on stdin.
struct SubprocessInputTests {
    let env = ["PATH": "/usr/bin:/bin"]

    @Test func theInputReachesTheChildAndOutputsComeBack() throws {
        let result = try Subprocess.run(["sh", "-c", "cat; echo done >&2"], environment: env, input: Array("secret\nvalue".utf8))
        #expect(result.status == 0 && result.standardOutput == Array("secret\nvalue".utf8) && result.standardError == Array("done\n".utf8))
    }

    @Test func largeInputAndOutputDoNotDeadlock() throws {
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let result = try Subprocess.run(["cat"], environment: env, input: big, limits: .init(outputBytes: 4_000_000))
        #expect(result.status == 0 && result.standardOutput == big)
    }

    @Test func aChildThatReadsNothingDoesNotKillUs() throws {
        let result = try Subprocess.run(["sh", "-c", "exit 3"], environment: env, input: [UInt8](repeating: 7, count: 1_000_000))
        #expect(result.status == 3)
        // The process is still here, and the next run works.
        #expect(try Subprocess.run(["true"], environment: env, input: [1]).status == 0)
    }

    @Test func emptyInputIsEndOfFile() throws {
        let result = try Subprocess.run(["wc", "-c"], environment: env, input: [])
        #expect(String(decoding: result.standardOutput, as: UTF8.self).filter { !$0.isWhitespace } == "0")
    }

    @Test func aMissingProgramIsALaunchError() {
        #expect(throws: Subprocess.LaunchError.self) { try Subprocess.run(["/nonexistent/x"], environment: env, input: [1]) }
    }
}
