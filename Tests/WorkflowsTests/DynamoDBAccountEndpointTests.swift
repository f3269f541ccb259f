import Testing
import AWSConfig
import AWSCore
import TransportTesting
@testable import Workflows

/// `AWSSession.dynamoDB()` with account ids: the request goes where botocore's DynamoDB rules send
/// it, by `account_id_endpoint_mode` and the account the credentials name.
struct DynamoDBAccountEndpointTests {
    func hosts(_ extra: [String: String], profileText: String = "") throws -> (hosts: [String], error: String?) {
        let home = FakeHome()
        try profileText.write(toFile: home.root + "/.aws/config", atomically: true, encoding: .utf8)
        var env = home.environment
        env.variables.merge(["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]) { $1 }
        env.variables.merge(extra) { $1 }
        let transport = ScriptedTransport([.status(200, #"{"TableNames": []}"#)])
        let session = try AWSSession(settings: SessionSettings(profile: nil), environment: env, transport: transport, time: home.clock)
        do {
            _ = try session.dynamoDB().listTables()
            return (transport.requests.map { $0.url.hostHeader }, nil)
        } catch {
            return (transport.requests.map { $0.url.hostHeader }, "\(error)")
        }
    }

    @Test func anAccountIdFromTheCredentialsPicksTheAccountEndpoint() throws {
        #expect(try hosts(["AWS_ACCOUNT_ID": "123456789012"]).hosts == ["123456789012.ddb.us-east-1.amazonaws.com"])
        #expect(try hosts([:]).hosts == ["dynamodb.us-east-1.amazonaws.com"])
        #expect(try hosts(["AWS_ACCOUNT_ID": "123456789012", "AWS_ACCOUNT_ID_ENDPOINT_MODE": "DISABLED"]).hosts == ["dynamodb.us-east-1.amazonaws.com"])
        #expect(try hosts(["AWS_ACCOUNT_ID": "123456789012", "AWS_REGION": "cn-north-1"]).hosts == ["dynamodb.cn-north-1.amazonaws.com.cn"])
        #expect(try hosts(["AWS_ACCOUNT_ID": "123456789012"], profileText: "[default]\naccount_id_endpoint_mode = disabled\n").hosts
            == ["dynamodb.us-east-1.amazonaws.com"])
    }

    @Test func requiredWithoutAnAccountAndBadValuesSendNothing() throws {
        let required = try hosts(["AWS_ACCOUNT_ID_ENDPOINT_MODE": "required"])
        #expect(required.hosts.isEmpty && required.error?.contains("AccountIdEndpointMode is required but no AccountID was provided or able to be loaded") == true)
        let invalid = try hosts(["AWS_ACCOUNT_ID_ENDPOINT_MODE": ""])
        #expect(invalid.hosts.isEmpty && invalid.error?.contains("The configured value '' for 'account_id_endpoint_mode' is invalid") == true)
        let badAccount = try hosts(["AWS_ACCOUNT_ID": "12345.6789"])
        #expect(badAccount.hosts.isEmpty && badAccount.error?.contains("Credentials-sourced account ID parameter is invalid") == true)
    }
}

/// The console's sign-in host by the region's partition (from botocore's partition data).
struct FederationEndpointPartitionTests {
    @Test func knownPartitionsAndRefusedOnes() throws {
        let env = Environment([:])
        #expect(try FederationEndpoint.resolve(region: "eu-west-1", environment: env).url.description == "https://signin.aws.amazon.com/federation")
        #expect(try FederationEndpoint.resolve(region: "cn-northwest-1", environment: env).url.host == "signin.amazonaws.cn")
        #expect(try FederationEndpoint.resolve(region: "us-gov-east-1", environment: env).destination
            == "https://us-gov-east-1.console.amazonaws-us-gov.com/console/home?region=us-gov-east-1")
        for region in ["eusc-de-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"] {
            #expect(throws: AWSError.self, "\(region)") { try FederationEndpoint.resolve(region: region, environment: env) }
        }
    }
}

/// `credctl request`'s reading of a host, for every partition's DNS suffix.
struct RequestHostPartitionTests {
    @Test func hostsOfEveryPartition() {
        let cases: [(String, String, String?)] = [("sts.eu-west-1.amazonaws.com", "sts", "eu-west-1"),
                                                  ("ssm.cn-north-1.amazonaws.com.cn", "ssm", "cn-north-1"),
                                                  ("ssm.eusc-de-east-1.amazonaws.eu", "ssm", "eusc-de-east-1"),
                                                  ("sts.us-iso-east-1.c2s.ic.gov", "sts", "us-iso-east-1"),
                                                  ("iam.amazonaws.com", "iam", nil)]
        for (host, service, region) in cases {
            let got = SignedRequestSpec.inferServiceAndRegion(host: host)
            #expect(got?.service == service && got?.region == region, "\(host)")
        }
        #expect(SignedRequestSpec.inferServiceAndRegion(host: "example.com") == nil)
    }
}
