import Testing
@testable import AWSCore

/// One region as botocore's endpoint rules resolve it (`EndpointVectors.swift`, written by
/// `scripts/testdata/partitions.py`). An `error: …` value is botocore's endpoint error.
struct EndpointVector {
    var region: String
    var sts: String
    var ssm: String
    var iam: String
    var iamSigningRegion: String?
    var dynamoDB: String
    var dynamoDBWithAccount: String
    var dynamoDBRequiredWithoutAccount: String
    var signIn: String
}

struct EndpointVectorTests {
    func url(_ e: ResolvedEndpoint) -> String { "\(e.url.scheme)://\(e.url.hostHeader)" }

    func dynamoDB(_ region: String, mode: AccountIdEndpointMode, account: String?) -> String {
        do {
            return url(try EndpointResolver.resolveDynamoDB(region: region, configured: nil, mode: mode) { () throws(AWSError) -> String? in account })
        } catch {
            guard case .configuration(let e) = error else { return "unexpected \(error)" }
            return "error: " + e.description
        }
    }

    @Test func everyBotocoreRegionResolvesToTheSameHosts() throws {
        #expect(endpointVectors.count >= 40)
        for v in endpointVectors {
            #expect(url(try EndpointResolver.resolve(.sts, region: v.region, configured: nil)) == v.sts, "\(v.region)")
            #expect(url(try EndpointResolver.resolve(.ssm, region: v.region, configured: nil)) == v.ssm, "\(v.region)")
            let iam = try EndpointResolver.resolve(.iam, region: v.region, configured: nil)
            #expect(url(iam) == v.iam && iam.signingRegion == v.iamSigningRegion, "\(v.region)")
            #expect(url(try EndpointResolver.resolve(.dynamoDB, region: v.region, configured: nil)) == v.dynamoDB, "\(v.region)")
            #expect(dynamoDB(v.region, mode: .preferred, account: nil) == v.dynamoDB, "\(v.region)")
            #expect(dynamoDB(v.region, mode: .preferred, account: endpointVectorAccount) == v.dynamoDBWithAccount, "\(v.region)")
            #expect(dynamoDB(v.region, mode: .disabled, account: endpointVectorAccount) == v.dynamoDB, "\(v.region)")
            #expect(dynamoDB(v.region, mode: .required, account: nil) == v.dynamoDBRequiredWithoutAccount, "\(v.region)")
            #expect(url(try EndpointResolver.resolveSignIn(region: v.region, configured: nil)) == v.signIn, "\(v.region)")
        }
    }

    @Test func partitionsByRegion() {
        let cases: [(String?, String)] = [("us-east-1", "aws"), ("xx-foo-1", "aws"), (nil, "aws"), ("cn-north-1", "aws-cn"),
                                          ("us-gov-west-1", "aws-us-gov"), ("eusc-de-east-1", "aws-eusc"), ("us-iso-east-1", "aws-iso"),
                                          ("us-isob-west-9", "aws-iso-b"), ("eu-isoe-west-1", "aws-iso-e"), ("us-isof-south-1", "aws-iso-f"),
                                          ("aws-cn-global", "aws-cn"), ("us-east-1a", "aws"), ("eusc-fr-east-1", "aws")]
        for (region, id) in cases { #expect(Partition.of(region: region).id == id, "\(region ?? "nil")") }
    }

    @Test func dynamoDBAccountEndpointRules() {
        #expect(dynamoDB("local", mode: .required, account: nil) == "http://localhost:8000")
        #expect(dynamoDB("us-east-1", mode: .preferred, account: "bad.label") == "error: Credentials-sourced account ID parameter is invalid")
        #expect(dynamoDB("cn-north-1", mode: .preferred, account: "bad.label") == "https://dynamodb.cn-north-1.amazonaws.com.cn")
        // The account is asked for only when the rules need it: a configured endpoint never does.
        var askedForConfigured = false
        let configured = try? EndpointResolver.resolveDynamoDB(region: "us-east-1", configured: ("http://127.0.0.1:9", "test"), mode: .required) {
            () throws(AWSError) -> String? in askedForConfigured = true; return nil
        }
        #expect(configured?.url.description == "http://127.0.0.1:9/" && !askedForConfigured)
    }
}
