import Testing
@testable import AWSCore

struct OrganizationsEndpointTests {
    @Test func globalEndpointSignedForUSEast1() throws {
        let org = try EndpointResolver.resolve(.organizations, region: "eu-west-1", endpointURL: nil, environment: Environment())
        #expect(org.url.description == "https://organizations.us-east-1.amazonaws.com/")
        #expect(org.signingRegion == "us-east-1")
        let e = Environment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_ORGANIZATIONS": "http://127.0.0.1:2"])
        let overridden = try EndpointResolver.resolve(.organizations, region: nil, endpointURL: nil, environment: e)
        #expect(overridden.url.port == 2 && overridden.source == "AWS_ENDPOINT_URL_ORGANIZATIONS" && overridden.signingRegion == "us-east-1")
    }
}
