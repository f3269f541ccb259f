/// A service as credctl talks to it: signing name, endpoint prefix, the suffix of its
/// `AWS_ENDPOINT_URL_<SERVICE>` variable.
public struct AWSService: Sendable, Equatable {
    public var signingName: String
    public var endpointPrefix: String
    public var environmentSuffix: String
    /// One endpoint for all regions, signed for the partition's main region (IAM).
    public var isGlobal: Bool

    public init(signingName: String, endpointPrefix: String, environmentSuffix: String, isGlobal: Bool = false) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.environmentSuffix = environmentSuffix
        self.isGlobal = isGlobal
    }

    public static let sts = AWSService(signingName: "sts", endpointPrefix: "sts", environmentSuffix: "STS")
    public static let iam = AWSService(signingName: "iam", endpointPrefix: "iam", environmentSuffix: "IAM", isGlobal: true)
    public static let ssm = AWSService(signingName: "ssm", endpointPrefix: "ssm", environmentSuffix: "SSM")
    public static let secretsManager = AWSService(signingName: "secretsmanager", endpointPrefix: "secretsmanager", environmentSuffix: "SECRETS_MANAGER")
    public static let dynamoDB = AWSService(signingName: "dynamodb", endpointPrefix: "dynamodb", environmentSuffix: "DYNAMODB")
    /// IAM Identity Center's portal (`portal.sso.REGION.amazonaws.com`, serviceId `SSO`):
    /// GetRoleCredentials, ListAccounts, ListAccountRoles, Logout. Calls carry a bearer token, never a signature.
    public static let sso = AWSService(signingName: "awsssoportal", endpointPrefix: "portal.sso", environmentSuffix: "SSO")
    /// IAM Identity Center's OAuth service (`oidc.REGION.amazonaws.com`, serviceId `SSO OIDC`):
    /// RegisterClient, StartDeviceAuthorization, CreateToken. Unsigned.
    public static let ssoOIDC = AWSService(signingName: "sso-oauth", endpointPrefix: "oidc", environmentSuffix: "SSO_OIDC")
    /// Global: `organizations.us-east-1.amazonaws.com`, signed for us-east-1 (the aws partition's
    /// host; China and GovCloud name theirs differently: set `AWS_ENDPOINT_URL_ORGANIZATIONS` there).
    public static let organizations = AWSService(signingName: "organizations", endpointPrefix: "organizations.us-east-1",
                                                 environmentSuffix: "ORGANIZATIONS", isGlobal: true)
}

/// Where requests for a service go and how they are signed.
public struct ResolvedEndpoint: Sendable, Equatable {
    public var url: RequestURL
    public var signingRegion: String
    /// Why this endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_STS`, `default`, …
    public var source: String

    public init(url: RequestURL, signingRegion: String, source: String) {
        self.url = url
        self.signingRegion = signingRegion
        self.source = source
    }
}

public enum EndpointResolver {
    /// A configured endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, …, as the caller
    /// resolved it, with its source), else the service's default. IAM is signed for the
    /// partition's main region wherever it is sent; STS without any region goes to the global
    /// endpoint, as botocore does.
    public static func resolve(_ service: AWSService, region: String?,
                               configured: (url: String, source: String)?) throws(ConfigurationError) -> ResolvedEndpoint {
        let partition = Partition.of(region: region)
        let signingRegion: String
        if service.isGlobal { signingRegion = partition.iamSigningRegion }
        else { signingRegion = region ?? "us-east-1" }

        if let (text, source) = configured {
            do {
                let url = try RequestURL(parsing: text)
                return ResolvedEndpoint(url: url.with(path: url.path), signingRegion: signingRegion, source: source)
            } catch {
                throw ConfigurationError("invalid endpoint URL from \(source): \(error)")
            }
        }
        if service.isGlobal {
            return ResolvedEndpoint(url: RequestURL(scheme: "https", host: "\(service.endpointPrefix).\(partition.globalHostSuffix)"),
                                    signingRegion: signingRegion, source: "default (global)")
        }
        guard let region else {
            if service == .sts {
                return ResolvedEndpoint(url: RequestURL(scheme: "https", host: "sts.amazonaws.com"), signingRegion: "us-east-1",
                                        source: "default (global, no region set)")
            }
            throw ConfigurationError("no region: set --region, AWS_REGION or the profile's region")
        }
        guard isValidRegion(region) else {
            throw ConfigurationError("'\(region)' is not a valid region name")
        }
        return ResolvedEndpoint(url: RequestURL(scheme: "https", host: "\(service.endpointPrefix).\(region).\(partition.dnsSuffix)"),
                                signingRegion: signingRegion, source: "default")
    }

    /// STS as credential providers reach it: like `resolve`, but with `sts_regional_endpoints`
    /// (`AWS_STS_REGIONAL_ENDPOINTS`): `regional` (the default) or `legacy`, which sends the
    /// regions of the original global-endpoint era to `sts.amazonaws.com` unless an endpoint is configured.
    public static func resolveSTS(region: String?, regionalEndpoints: String?,
                                  configured: (url: String, source: String)?) throws(ConfigurationError) -> ResolvedEndpoint {
        switch regionalEndpoints?.lowercased() {
        case nil, "regional": break
        case "legacy":
            if let region, legacyGlobalSTSRegions.contains(region), configured == nil {
                return ResolvedEndpoint(url: RequestURL(scheme: "https", host: "sts.amazonaws.com"), signingRegion: "us-east-1",
                                        source: "sts_regional_endpoints = legacy (global)")
            }
        default:
            throw ConfigurationError("sts_regional_endpoints must be 'regional' or 'legacy', not '\(PrintableText.escaped(regionalEndpoints ?? ""))'")
        }
        return try resolve(.sts, region: region, configured: configured)
    }

    static let legacyGlobalSTSRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ]

    /// Letters, digits and hyphens, as every AWS region name is.
    public static func isValidRegion(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 64 && region.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
        }
    }
}
