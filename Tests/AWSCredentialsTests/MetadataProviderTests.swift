import Foundation
import Testing
import TransportTesting
import AWSConfig
import AWSClients
import AWSCore
@testable import AWSCredentials

/// The instance-metadata and container providers on a scripted transport: every answer the
/// endpoints can give, nothing on the network.
struct MetadataProviderTests {
    static let credentialsJSON = #"{"Code": "Success", "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "s", "Token": "t", "Expiration": "2030-01-01T00:00:00Z"}"#

    func context(_ transport: ScriptedTransport, now: Int = 1_800_000_000) -> CredentialContext {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: nil, credentials: nil)
        return CredentialContext(files: files, environment: Environment(), settings: CredentialSettings(), profileName: "default",
                                 core: { ClientCore(transport: transport) }, region: nil, time: ManualClock(wall: now),
                                 metadataTransport: { _ in transport })
    }

    func imds(_ transport: ScriptedTransport, v1Disabled: Bool = false) -> InstanceMetadataCredentialsProvider {
        InstanceMetadataCredentialsProvider(context: context(transport), settings: InstanceMetadataSettings(v1Disabled: v1Disabled, timeout: 1, attempts: 1))
    }

    @Test func imdsV2TokenRoleThenCredentials() throws {
        let t = ScriptedTransport([.status(200, "TOKEN"), .status(200, "web-role\n"), .status(200, Self.credentialsJSON)])
        guard case .found(let c) = try imds(t).resolve() else { Issue.record("not found"); return }
        #expect(c.accessKeyId == "ASIAIMDS" && c.signing.sessionToken == "t" && c.provenance.provider == .instanceMetadata)
        #expect(c.provenance.rule == nil && c.expiration == Timestamp.parse("2030-01-01T00:00:00Z"))
        let r = t.requests
        #expect(r.map(\.method) == ["PUT", "GET", "GET"])
        #expect(r[0].url.path == "/latest/api/token" && r[0].request.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(r[1].url.path == "/latest/meta-data/iam/security-credentials/" && r[1].request.header("x-aws-ec2-metadata-token") == "TOKEN")
        #expect(r[2].url.path == "/latest/meta-data/iam/security-credentials/web-role")
    }

    @Test func imdsFallsBackToV1WhenTheTokenIsRefusedUnlessDisabled() throws {
        let t = ScriptedTransport([.status(403), .status(200, "r"), .status(200, Self.credentialsJSON)])
        guard case .found(let c) = try imds(t).resolve() else { Issue.record("not found"); return }
        #expect(c.provenance.rule == "IMDSv1 (no IMDSv2 token)")
        #expect(t.requests[1].request.header("x-aws-ec2-metadata-token") == nil)
        let disabled = ScriptedTransport([.status(403)])
        guard case .notFound(let reason) = try imds(disabled, v1Disabled: true).resolve() else { Issue.record("found"); return }
        #expect(reason.contains("no IMDSv2 token (token refused (HTTP 403)) and IMDSv1 is disabled"))
        #expect(disabled.requests.count == 1)
    }

    @Test func imdsNotOnEC2GivesUpAtOnce() throws {
        let t = ScriptedTransport([.refused])
        guard case .notFound(let reason) = try imds(t).resolve() else { Issue.record("found"); return }
        #expect(reason.contains("not on EC2?") && t.requests.count == 1)
    }

    @Test func imdsRefusesATokenThatWouldSplitAHeaderAndAFailedCode() {
        #expect(throws: AWSError.self) { try imds(ScriptedTransport([.status(200, "TOK\r\nX-Evil: 1")])).resolve() }
        let failed = #"{"Code": "AssumeRoleUnauthorizedAccess", "AccessKeyId": "", "SecretAccessKey": "", "Token": "", "Expiration": "2030-01-01T00:00:00Z"}"#
        do {
            _ = try imds(ScriptedTransport([.status(200, "T"), .status(200, "r"), .status(200, failed)])).resolve()
            Issue.record("accepted a failed Code")
        } catch {
            #expect(error.description.contains("Code AssumeRoleUnauthorizedAccess"))
        }
    }

    @Test func imdsWithNoRoleIsNotFound() throws {
        guard case .notFound(let reason) = try imds(ScriptedTransport([.status(200, "T"), .status(404)])).resolve() else { Issue.record("found"); return }
        #expect(reason.hasSuffix("no IAM role is attached to this instance"))
    }

    func container(_ transport: ScriptedTransport, _ settings: ContainerSettings) -> ContainerCredentialsProvider {
        ContainerCredentialsProvider(context: context(transport), settings: settings)
    }

    @Test func containerRelativeURIWithToken() throws {
        let t = ScriptedTransport([.status(200, Self.credentialsJSON)])
        guard case .found(let c) = try container(t, ContainerSettings(relativeURI: "/v2/creds", token: "Bearer abc")).resolve() else {
            Issue.record("not found"); return
        }
        #expect(c.accessKeyId == "ASIAIMDS" && c.provenance.provider == .container)
        #expect(t.requests[0].url.host == "169.254.170.2" && t.requests[0].url.path == "/v2/creds")
        #expect(t.requests[0].request.header("Authorization") == "Bearer abc")
    }

    @Test func containerRetriesServerErrorsNotClientErrors() throws {
        let retried = ScriptedTransport([.status(500), .timeout, .status(200, Self.credentialsJSON)])
        guard case .found = try container(retried, ContainerSettings(fullURI: "http://127.0.0.1:9/creds")).resolve() else { Issue.record("not found"); return }
        #expect(retried.requests.count == 3)
        let refused = ScriptedTransport([.status(403), .status(200, Self.credentialsJSON)])
        do {
            _ = try container(refused, ContainerSettings(fullURI: "http://127.0.0.1:9/creds")).resolve()
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("gave no credentials: HTTP 403"))
        }
        #expect(refused.requests.count == 1)
    }

    @Test func containerRefusesPlainHTTPToOtherHostsAndAControlCharacterInTheToken() {
        let t = ScriptedTransport([])
        #expect(throws: AWSError.self) { try container(t, ContainerSettings(fullURI: "http://10.0.0.1/creds")).resolve() }
        #expect(throws: AWSError.self) { try container(t, ContainerSettings(relativeURI: "/c", token: "a\nb")).resolve() }
        #expect(t.requests.isEmpty)
    }

    @Test func containerNotConfiguredIsNotFound() throws {
        guard case .notFound(let reason) = try container(ScriptedTransport([]), ContainerSettings()).resolve() else { Issue.record("found"); return }
        #expect(reason == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
    }
}
