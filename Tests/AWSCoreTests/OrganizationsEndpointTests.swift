import Testing
@testable import AWSCore

struct OrganizationsEndpointTests {
    @Test func globalEndpointSignedForUSEast1() throws {
        let org = try EndpointResolver.resolve(.organizations, region: "eu-west-1", configured: nil)
        #expect(org.url.description == "https://organizations.us-east-1.amazonaws.com/")
        #expect(org.signingRegion == "us-east-1")
        let overridden = try EndpointResolver.resolve(.organizations, region: nil,
                                                      configured: (url: "http://127.0.0.1:2", source: "AWS_ENDPOINT_URL_ORGANIZATIONS"))
        #expect(overridden.url.port == 2 && overridden.source == "AWS_ENDPOINT_URL_ORGANIZATIONS" && overridden.signingRegion == "us-east-1")
    }
}
