import Testing
import AWSConfig
import AWSClients
import AWSCore
@testable import AWSCredentials

/// `credential_process`: a real child (`/bin/sh`), its output read as the AWS CLI reads it.
struct ProcessProviderTests {
    func provider(_ command: String, depth: Int = 0) -> ProcessCredentialsProvider {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: nil, credentials: nil)
        let context = CredentialContext(files: files, environment: Environment(["PATH": "/usr/bin:/bin"]), settings: CredentialSettings(),
                                        profileName: "p", core: { ClientCore(transport: CurlTransport()) }, region: nil)
        return ProcessCredentialsProvider(context: context, settings: ProcessSettings(profile: "p", command: SourcedValue(command, source: "/c:3"), depth: depth))
    }

    func failure(_ command: String, depth: Int = 0) -> String {
        do {
            _ = try provider(command, depth: depth).resolve()
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func readsVersionOneOutput() throws {
        let json = #"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2030-01-01T00:00:00Z"}"#
        guard case .found(let c) = try provider("/bin/sh -c 'echo \"$0\"' '\(json)'", depth: 1).resolve() else { Issue.record("not found"); return }
        #expect(c.accessKeyId == "ASIAPROC" && c.provenance.provider == .process && c.provenance.location == "/c:3")
        #expect(c.expiration == Timestamp.parse("2030-01-01T00:00:00Z"))
    }

    @Test func failuresSayWhyWithoutTheOutput() {
        #expect(failure("/bin/sh -c 'echo SECRETOUT; echo \"bad thing\" >&2; exit 3'")
                == "credential_process of profile 'p' (/c:3) exited with status 3: bad thing")
        #expect(failure(#"/bin/sh -c 'echo "{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\"}"'"#)
                == "credential_process of profile 'p' (/c:3): Unsupported version '2' for credential process provider, supported versions: 1")
        #expect(failure("/bin/sh -c 'echo \"unclosed").hasSuffix("a quote is left open"))
        #expect(failure("/bin/true", depth: ProcessCredentialsProvider.maximumDepth).contains("nested 4 deep"))
    }

    @Test func noProcessIsNotFound() throws {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: nil, credentials: nil)
        let context = CredentialContext(files: files, environment: Environment(), settings: CredentialSettings(), profileName: "p",
                                        core: { ClientCore(transport: CurlTransport()) }, region: nil)
        guard case .notFound(let reason) = try ProcessCredentialsProvider(context: context, settings: ProcessSettings(profile: "p", command: nil, depth: 0)).resolve() else {
            Issue.record("found"); return
        }
        #expect(reason == "profile 'p' has no credential_process")
    }
}
