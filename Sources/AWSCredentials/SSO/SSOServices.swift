import AWSClients
import AWSConfig
import AWSCore

/// How credctl reaches IAM Identity Center's two services for a session's `sso_region`:
/// unsigned clients on the shared transport, at the endpoints botocore would use.
public struct SSOServices: Sendable {
    public var core: ClientCore
    public var endpoints: EndpointSettings

    public init(core: ClientCore, endpoints: EndpointSettings) {
        self.core = core
        self.endpoints = endpoints
    }

    public init(_ context: CredentialContext) throws(AWSError) {
        self.init(core: try context.core(), endpoints: context.endpoints)
    }

    /// The endpoint of `.sso` or `.ssoOIDC` in `region`: `AWS_ENDPOINT_URL_SSO` /
    /// `AWS_ENDPOINT_URL_SSO_OIDC`, then `AWS_ENDPOINT_URL` (neither when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else `portal.sso.REGION.amazonaws.com` /
    /// `oidc.REGION.amazonaws.com`. `--endpoint-url` never applies: as in the AWS CLI it is the
    /// command's service's, and these are credential calls.
    public func endpoint(_ service: AWSService, region: String) throws(AWSError) -> ResolvedEndpoint {
        let configured = endpoints.configured(for: service, useCommandLine: false)
        do {
            return try EndpointResolver.resolve(service, region: region, configured: configured.map { ($0.value, $0.source) })
        } catch {
            throw error.awsError
        }
    }

    /// Unsigned: these calls carry a bearer token or nothing.
    var client: AWSClient { AWSClient(core: core, keys: nil) }

    /// The portal (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout) for `region`.
    public func portal(region: String) throws(AWSError) -> SSOClient {
        SSOClient(client: client, endpoint: try endpoint(.sso, region: region))
    }

    /// SSO-OIDC (RegisterClient, StartDeviceAuthorization, CreateToken) for `region`.
    public func oidc(region: String) throws(AWSError) -> SSOOIDCClient {
        SSOOIDCClient(client: client, endpoint: try endpoint(.ssoOIDC, region: region))
    }
}
