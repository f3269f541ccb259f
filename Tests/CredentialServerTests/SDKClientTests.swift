import Testing
import AWSClients
import AWSCore
import LoopbackSupport
import SigV4
@testable import CredentialServer

/// boto3 as the real client: a child process with only `AWS_CONTAINER_CREDENTIALS_FULL_URI` and
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` calls moto (signature checking on) across several
/// refreshes of short-lived session credentials.
struct SDKClientTests {
    @Test func boto3KeepsWorkingAcrossRefreshes() throws {
        let folder = "/tmp/credctl-server-test-\(WallClock.now())-\(Int.random(in: 0..<1_000_000))"
        _ = try Subprocess.run(["mkdir", "-p", folder], environment: ["PATH": Loopback.path])
        defer { _ = try? Subprocess.run(["rm", "-rf", folder], environment: ["PATH": Loopback.path]) }
        let moto = try MotoServer(folder: folder)
        let admin = SigningCredentials(accessKeyId: moto.adminKeyId, secretAccessKey: moto.adminSecret)
        let sts = STSClient(client: AWSClient(core: ClientCore(transport: CurlTransport()), keys: FixedSigningKeys(admin)),
                            endpoint: try EndpointResolver.resolveSTS(region: "us-east-1", regionalEndpoints: nil, configured: (moto.url, "test")))
        // 900-second sessions (STS's shortest), renewed 2 seconds after each fetch.
        let options = CredentialServerOptions(refreshBefore: 898, minimumInterval: 1)
        let server = try CredentialServer.start(options: options) {
            let token = try sts.getSessionToken(durationSeconds: 900)
            return ServedCredentials(credentials: token.credentials, expiration: token.expiration)
        }
        defer { server.stop() }
        let script = """
            import boto3, json, os, time
            assert not any(k in os.environ for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
            session = boto3.session.Session(region_name="us-east-1")
            sts = session.client("sts", endpoint_url="\(moto.url)")
            iam = session.client("iam", endpoint_url="\(moto.url)")
            keys, end = [], time.time() + 7
            while time.time() < end:
                arn = sts.get_caller_identity()["Arn"]
                iam.list_users()
                keys.append(session.get_credentials().get_frozen_credentials().access_key)
                time.sleep(0.25)
            print(json.dumps({"arn": arn, "calls": len(keys), "keys": sorted(set(keys)),
                              "method": session.get_credentials().method}))
            """
        var environment = server.environment
        environment["HOME"] = folder
        environment["AWS_CONFIG_FILE"] = folder + "/none"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = folder + "/none"
        let child = try Loopback.python(script, environment: environment)
        let stderr = String(decoding: child.standardError, as: UTF8.self)
        #expect(child.status == 0, "\(stderr)")
        let report = try JSONValue.parse(child.standardOutput)
        #expect(report["arn"]?.stringValue == "arn:aws:iam::123456789012:user/admin")
        #expect(report["method"]?.stringValue == "container-role")
        let keys = report["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(keys.count >= 3 && keys.allSatisfy { $0.hasPrefix("ASIA") })
        #expect(server.statistics.refreshes >= 2 && server.statistics.refused == 0)
        #expect(moto.sessionCalls.count == server.statistics.refreshes + 1)
        #expect(!stderr.contains(server.token))
    }
}
