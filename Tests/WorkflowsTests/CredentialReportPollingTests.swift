import AWSClients
import AWSCore
import SigV4
import Synchronization
import Testing
import TransportTesting
@testable import Workflows

/// `AccountKeyReader` waiting for IAM to make the credential report, on a manual clock.
struct CredentialReportPollingTests {
    static let iam = ResolvedEndpoint(url: RequestURL(scheme: "https", host: "iam.amazonaws.com"), signingRegion: "us-east-1", source: "test")

    static func xml(_ operation: String, _ result: String) -> ScriptedAnswer {
        .status(200, "<\(operation)Response><\(operation)Result>\(result)</\(operation)Result></\(operation)Response>")
    }

    static func error(_ code: String, status: Int) -> ScriptedAnswer {
        .status(status, "<ErrorResponse><Error><Code>\(code)</Code><Message>m</Message></Error></ErrorResponse>")
    }

    /// IAM answering `GetCredentialReport` with `ReportInProgress` `pending` times, then the report.
    func reader(pending: Int, timeout: Double = 30) -> (AccountKeyReader, ManualClock, ScriptedTransport) {
        let clock = ManualClock()
        let gets = Mutex(0)
        let content = Base64.encode(Array(CredentialReportTests.report.utf8))
        let transport = ScriptedTransport(handler: { call in
            switch call.form["Action"] {
            case "GenerateCredentialReport": return Self.xml("GenerateCredentialReport", "<State>STARTED</State>")
            case "GetCredentialReport":
                let n = gets.withLock { n -> Int in n += 1; return n }
                if n <= pending { return Self.error("ReportInProgress", status: 404) }
                return Self.xml("GetCredentialReport", "<Content>\(content)</Content><GeneratedTime>2024-06-01T00:00:00Z</GeneratedTime>")
            case "ListUsers":
                return Self.xml("ListUsers", "<Users/><IsTruncated>false</IsTruncated>")
            default: return Self.error("InvalidAction", status: 400)
            }
        })
        let core = ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: 3), time: clock)
        let keys = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")
        let iam = IAMClient(client: AWSClient(core: core, keys: FixedSigningKeys(keys)), endpoint: Self.iam)
        return (AccountKeyReader(iam: iam, reportTimeout: timeout), clock, transport)
    }

    @Test func waitsWhileTheReportIsMadeThenUsesIt() throws {
        let (reader, clock, transport) = reader(pending: 3)
        let users = try reader.users()
        #expect(users.method == .credentialReport && users.users == ["alice", "bob"])
        #expect(clock.sleeps == [0.5, 1, 2])
        // Asked to make the report again before each new look.
        #expect(transport.requests.compactMap { $0.form["Action"] } == [
            "GenerateCredentialReport", "GetCredentialReport", "GenerateCredentialReport", "GetCredentialReport",
            "GenerateCredentialReport", "GetCredentialReport", "GenerateCredentialReport", "GetCredentialReport",
        ])
    }

    @Test func aReportNeverReadyStopsAtTheLimitAndFallsBackToListingUsers() throws {
        let (reader, clock, transport) = reader(pending: 1000, timeout: 30)
        let users = try reader.users()
        #expect(users.method == .perUser)
        #expect(users.fallbackReason?.contains("the credential report was not ready after 30 s (last state STARTED)") == true)
        #expect(clock.sleeps.prefix(5) == [0.5, 1, 2, 4, 5] && clock.slept <= 30)
        #expect(transport.requests.last?.form["Action"] == "ListUsers")
    }
}
