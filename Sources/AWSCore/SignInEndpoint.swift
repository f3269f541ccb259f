extension AWSService {
    /// AWS Sign-In (model `signin` 2023-01-01, REST-JSON): `CreateOAuth2Token` for `aws login`
    /// sessions. Unsigned; each call carries a DPoP proof instead.
    public static let signIn = AWSService(signingName: "signin", endpointPrefix: "signin", environmentSuffix: "SIGNIN")
}

extension EndpointResolver {
    /// The sign-in service as botocore's endpoint rules place it: a configured endpoint
    /// (`AWS_ENDPOINT_URL_SIGNIN`, `AWS_ENDPOINT_URL`, the profile's `[services]` `signin`,
    /// its `endpoint_url`), else `https://REGION.signin.aws.amazon.com` (`…signin.amazonaws.cn`
    /// in China, `…signin.amazonaws-us-gov.com` in GovCloud, `signin.REGION.DNS-SUFFIX`
    /// elsewhere). A region is required, as in botocore.
    public static func resolveSignIn(region: String?, configured: (url: String, source: String)?) throws(ConfigurationError) -> ResolvedEndpoint {
        if configured != nil { return try resolve(.signIn, region: region, configured: configured) }
        guard let region else {
            throw ConfigurationError("the sign-in service needs a region: set region in the profile, AWS_REGION or --region")
        }
        guard isValidRegion(region) else { throw ConfigurationError("'\(region)' is not a valid region name") }
        let host: String
        if region.hasPrefix("cn-") { host = "\(region).signin.amazonaws.cn" }
        else if region.hasPrefix("us-gov-") { host = "\(region).signin.amazonaws-us-gov.com" }
        else if Partition(region: region).dnsSuffix == "amazonaws.com" { host = "\(region).signin.aws.amazon.com" }
        else { host = "signin.\(region).\(Partition(region: region).dnsSuffix)" }
        return ResolvedEndpoint(url: RequestURL(scheme: "https", host: host), signingRegion: region, source: "default")
    }
}
