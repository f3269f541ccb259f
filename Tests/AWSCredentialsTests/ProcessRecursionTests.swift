import AWSClients
import AWSConfig
import AWSCore
import Foundation
import Testing
@testable import AWSCredentials

/// The `credential_process` depth: the variable or the credctl ancestors, whichever is larger.
struct ProcessRecursionTests {
    func provider(depthVariable: Int, ancestors: Int, marker: String) throws -> ProcessCredentialsProvider {
        let e = Environment(["PATH": "/usr/bin:/bin"])
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: nil, credentials: nil)
        let context = CredentialContext(files: files, environment: e, settings: try CredentialSettings.resolve(environment: e, profile: nil),
                                        profileName: "p", core: { ClientCore(transport: CurlTransport()) }, region: nil)
        let command = "sh -c 'touch \(marker); printf %s \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKIAPROCESS000000001\\\", \\\"SecretAccessKey\\\": \\\"s3cr3t/process\\\"}\"'"
        return ProcessCredentialsProvider(context: context, settings: ProcessSettings(profile: "p", command: SourcedValue(command, source: "test"), depth: depthVariable),
                                          ancestors: { ancestors })
    }

    @Test(arguments: [(0, 4), (4, 0), (2, 7)])
    func fourDeepByEitherCountStopsBeforeRunning(_ variable: Int, _ ancestors: Int) throws {
        let marker = "/tmp/credctl-recursion-\(UInt64.random(in: 0...UInt64.max))"
        let p = try provider(depthVariable: variable, ancestors: ancestors, marker: marker)
        #expect(throws: AWSError.self) { try p.resolve() }
        #expect(access(marker, F_OK) != 0, "the process was not started")
    }

    @Test func belowTheLimitItRuns() throws {
        let marker = "/tmp/credctl-recursion-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(marker) }
        let p = try provider(depthVariable: 1, ancestors: 3, marker: marker)
        guard case .found(let credentials) = try p.resolve() else { Issue.record("expected credentials"); return }
        #expect(credentials.signing.accessKeyId == "AKIAPROCESS000000001" && access(marker, F_OK) == 0)
    }
}
