import AWSCore
import AWSCredentials
import Testing

/// Where an MFA code comes from: `--mfa-code`, then `mfa_process`, then a prompt; none is exit 3.
@Suite struct MFACodeSourceTests {
    let serial = "arn:aws:iam::123456789012:mfa/me"
    let environment = ["PATH": "/usr/bin:/bin"]

    /// The error's case (its exit code) and message.
    func failure(_ source: MFACodeSource) -> String {
        do {
            _ = try source.code(serial: serial, profile: "p")
            return "no error"
        } catch {
            switch error {
            case .noCredentials(let m): return "exit 3: \(m)"
            case .configuration(let e): return "exit 2: \(e.message)"
            default: return "other: \(error)"
            }
        }
    }

    @Test func mfaProcessPrintsTheCode() throws {
        let source = MFACodeSource(process: "printf '%s\\n' 123456", processEnvironment: environment, prompt: { _ in Issue.record("asked"); return nil })
        #expect(try source.code(serial: serial, profile: "p") == "123456")
    }

    @Test func aGivenCodeWinsOverTheProcess() throws {
        let source = MFACodeSource(code: "654321", process: "false", processEnvironment: environment)
        #expect(try source.code(serial: serial, profile: "p") == "654321")
    }

    @Test func onlyTheFirstLineCountsAndSpacesAreTrimmed() throws {
        let source = MFACodeSource(process: "printf ' 111222 \\nsecond line\\n'", processEnvironment: environment)
        #expect(try source.code(serial: serial, profile: "p") == "111222")
    }

    @Test func aFailingProcessIsExit3WithoutItsOutput() {
        let source = MFACodeSource(process: "sh -c 'echo 999888; exit 4'", processEnvironment: environment)
        #expect(failure(source) == "exit 3: " + "profile 'p': mfa_process `sh -c 'echo 999888; exit 4'` exited with status 4")
    }

    @Test func aProcessThatCannotStartIsExit3() {
        let source = MFACodeSource(process: "/nonexistent/mfa-tool", processEnvironment: environment)
        #expect(failure(source) == "exit 3: " + "profile 'p': mfa_process: cannot run /nonexistent/mfa-tool: No such file or directory")
    }

    @Test func aCodeThatIsNotSixDigitsIsRefused() {
        for printed in ["12345", "1234567", "abcdef", ""] {
            let source = MFACodeSource(process: "printf \(printed.isEmpty ? "''" : printed)", processEnvironment: environment)
            #expect(failure(source) == "exit 2: " + "the MFA code must be the 6 digits your device shows")
        }
    }

    @Test func anUnbalancedQuoteIsAConfigurationError() {
        let source = MFACodeSource(process: "ykman 'oath", processEnvironment: environment)
        #expect(failure(source) == "exit 2: " + "profile 'p': mfa_process is empty or leaves a quote open")
    }

    @Test func noSourceIsExit3NamingBothWays() {
        #expect(failure(MFACodeSource()) == "exit 3: " + "profile 'p' needs an MFA code for \(serial): pass --mfa-code or set mfa_process in the profile (there is no terminal to ask on)")
    }
}
