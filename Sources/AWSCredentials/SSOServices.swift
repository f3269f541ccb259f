import AWSClients
import AWSCore

/// How credctl reaches IAM Identity Center's two services for a session's `sso_region`:
/// unsigned clients on the shared transport, at the endpoints botocore would use.
public struct SSOServices: Sendable {
    public var environment: Environment
    public var transport: HTTPTransport
    public var retryPolicy: RetryPolicy
    public var log: DebugLog
    public var userAgent: String

    public init(environment: Environment, transport: HTTPTransport, retryPolicy: RetryPolicy, log: DebugLog, userAgent: String) {
        self.environment = environment
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.log = log
        self.userAgent = userAgent
    }

    public init(_ context: CredentialContext) {
        self.init(environment: context.environment, transport: context.transport, retryPolicy: context.retryPolicy,
                  log: context.log, userAgent: context.userAgent)
    }

    /// The endpoint of `.sso` or `.ssoOIDC` in `region`: `AWS_ENDPOINT_URL_SSO` /
    /// `AWS_ENDPOINT_URL_SSO_OIDC`, then `AWS_ENDPOINT_URL` (neither when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else `portal.sso.REGION.amazonaws.com` /
    /// `oidc.REGION.amazonaws.com`. `--endpoint-url` never applies: as in the AWS CLI it is the
    /// command's service's, and these are credential calls.
    ///
    /// HOOK (config-file endpoints): botocore also reads, between the service variable and
    /// `AWS_ENDPOINT_URL`, the `sso` / `sso_oidc` `endpoint_url` of the profile's
    /// `[services NAME]` section, and after `AWS_ENDPOINT_URL` the profile's own
    /// `endpoint_url` (and `ignore_configured_endpoint_urls`). When the shared configuration
    /// resolves those, pass the result here in place of `configured: nil`.
    public func endpoint(_ service: AWSService, region: String) throws(AWSError) -> ResolvedEndpoint {
        let configured: String? = nil
        do {
            return try EndpointResolver.resolve(service, region: region, endpointURL: configured, environment: environment)
        } catch {
            throw .configuration(error)
        }
    }

    var client: AWSClient {
        AWSClient(transport: transport, credentials: nil, retryPolicy: retryPolicy, log: log, userAgent: userAgent)
    }

    /// The portal (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout) for `region`.
    public func portal(region: String) throws(AWSError) -> SSOClient {
        SSOClient(client: client, endpoint: try endpoint(.sso, region: region))
    }

    /// SSO-OIDC (RegisterClient, StartDeviceAuthorization, CreateToken) for `region`.
    public func oidc(region: String) throws(AWSError) -> SSOOIDCClient {
        SSOOIDCClient(client: client, endpoint: try endpoint(.ssoOIDC, region: region))
    }
}
