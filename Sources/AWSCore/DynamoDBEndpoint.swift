/// `account_id_endpoint_mode`: whether DynamoDB requests go to the account's own endpoint.
public enum AccountIdEndpointMode: String, Sendable, Equatable {
    case preferred, disabled, required
}

extension EndpointResolver {
    /// DynamoDB's endpoint as botocore's DynamoDB rules (`endpoint-rule-set-1`) give it without
    /// FIPS or dual-stack: a configured endpoint as it is; `local` → `http://localhost:8000`;
    /// in the `aws` partition, unless the mode is `disabled`, `https://ACCOUNT.ddb.REGION.amazonaws.com`
    /// when the credentials name an account (`accountId` is asked only then: it may resolve
    /// credentials); `required` without one is an error; else `dynamodb.REGION.DNS-SUFFIX`.
    /// Errors carry botocore's messages.
    public static func resolveDynamoDB(region: String?, configured: (url: String, source: String)?, mode: AccountIdEndpointMode,
                                       accountId: () throws(AWSError) -> String?) throws(AWSError) -> ResolvedEndpoint {
        let standard: ResolvedEndpoint
        do { standard = try resolve(.dynamoDB, region: region, configured: configured) } catch { throw error.awsError }
        guard configured == nil, let region else { return standard }
        if region == "local" {
            return ResolvedEndpoint(url: RequestURL(scheme: "http", host: "localhost", port: 8000), signingRegion: region, source: "default (local)")
        }
        let partition = Partition.of(region: region)
        if mode != .disabled, partition.id == "aws", let account = try accountId() {
            guard isValidHostLabel(account) else {
                throw .configuration(ConfigurationError("Credentials-sourced account ID parameter is invalid"))
            }
            return ResolvedEndpoint(url: RequestURL(scheme: "https", host: "\(account).ddb.\(region).\(partition.dnsSuffix)"),
                                    signingRegion: standard.signingRegion, source: "default (account \(account), account_id_endpoint_mode \(mode.rawValue))")
        }
        if mode == .required {
            throw .configuration(ConfigurationError(partition.id == "aws"
                ? "AccountIdEndpointMode is required but no AccountID was provided or able to be loaded"
                : "Invalid Configuration: AccountIdEndpointMode is required but account endpoints are not supported in this partition"))
        }
        return standard
    }

    /// RFC 1123 host label, as the rules' `isValidHostLabel(…, false)`: 1–63 letters, digits and
    /// hyphens, not starting or ending with a hyphen.
    static func isValidHostLabel(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 63 && !s.hasPrefix("-") && !s.hasSuffix("-")
            && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
