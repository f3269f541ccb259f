import AWSConfig
import AWSCore
import AWSCredentials
import AWSClients

/// `whoami`: who the resolved credentials belong to, and where they and the region came from.
public struct WhoAmIReport: Sendable {
    public var identity: CallerIdentity
    public var credentials: Credentials
    public var attempts: [ProviderAttempt]
    public var region: ResolvedRegion?
    public var endpoint: ResolvedEndpoint
}

public enum WhoAmI {
    public static func run(_ session: AWSSession) throws(AWSError) -> WhoAmIReport {
        let resolution = try session.resolveCredentials()
        let endpoint = try session.endpoint(.sts)
        let sts = STSClient(client: try session.client(), endpoint: endpoint)
        let identity = try sts.getCallerIdentity()
        return WhoAmIReport(identity: identity, credentials: resolution.credentials, attempts: resolution.attempts,
                            region: try session.region, endpoint: endpoint)
    }
}
