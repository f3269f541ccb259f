import AWSConfig
import AWSCore

/// The EC2 instance role through IMDSv2: a session token (`PUT /latest/api/token`), the role
/// name, then its credentials. Falls back to IMDSv1 when the token is refused (403/404/405) or
/// its answer times out (a hop limit of 1 in a container), unless IMDSv1 is disabled. When no
/// connection can be made at all (not on EC2) it gives up at once.
public struct InstanceMetadataCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.instanceMetadata
    let context: CredentialContext
    let settings: InstanceMetadataSettings

    static let defaultEndpoint = "http://169.254.169.254"
    static let ipv6Endpoint = "http://[fd00:ec2::254]"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    public init(context: CredentialContext, settings: InstanceMetadataSettings) {
        self.context = context
        self.settings = settings
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        if settings.disabled { return .notFound("AWS_EC2_METADATA_DISABLED=true") }
        let base = try baseURL()
        let v1Disabled = settings.v1Disabled
        let attempts = settings.attempts
        let endpoint = MetadataEndpoint(timeout: settings.timeout, total: settings.timeout, context: context)
        let where_ = "instance metadata at \(base.hostHeader)"

        // 1. The IMDSv2 session token.
        var token: String?
        var tokenProblem = ""
        tokenLoop: for _ in 1...attempts {
            do {
                let response = try endpoint.send("PUT", base.with(path: "/latest/api/token"),
                                                 headers: [("x-aws-ec2-metadata-token-ttl-seconds", "21600")])
                switch response.status {
                case 200:
                    // It goes into a header of the next requests: a CR or LF would split it.
                    if response.bodyText.utf8.contains(where: HeaderRules.isForbiddenInValue) {
                        throw AWSError.invalidCredentials("\(where_): the IMDSv2 session token it answered contains a control character (CR, LF, NUL, …); nothing was sent with it")
                    }
                    token = response.bodyText
                    break tokenLoop
                case 403, 404, 405: tokenProblem = "token refused (HTTP \(response.status))"; break tokenLoop
                case 400: throw AWSError.noCredentials("\(where_): the token request was rejected (HTTP 400)")
                default: tokenProblem = "HTTP \(response.status)"
                }
            } catch let error as TransportError {
                if !error.connected {
                    return .notFound("no \(where_): \(error.kind.rawValue) (not on EC2?)")
                }
                tokenProblem = error.description
                if error.isTimeout { break tokenLoop }
            } catch let error as AWSError { throw error } catch { throw .noCredentials("\(error)") }
        }
        if token == nil {
            if v1Disabled { return .notFound("\(where_): no IMDSv2 token (\(tokenProblem)) and IMDSv1 is disabled") }
            context.log("credentials: \(where_): no IMDSv2 token (\(tokenProblem)); trying IMDSv1")
        }
        let headers: [(name: String, value: String)] = token.map { [("x-aws-ec2-metadata-token", $0)] } ?? []

        // 2. The role name, 3. its credentials.
        func get(_ path: String) throws(AWSError) -> HTTPResponse? {
            var last = ""
            for _ in 1...attempts {
                do {
                    let response = try endpoint.send("GET", base.with(path: path), headers: headers)
                    if response.status == 404 { return nil }
                    if response.status == 200, !response.body.isEmpty { return response }
                    last = "HTTP \(response.status)"
                } catch {
                    if !error.connected { return nil }
                    last = error.description
                }
            }
            throw .noCredentials("\(where_): \(path) failed: \(last)")
        }
        guard let roleResponse = try get(Self.credentialsPath),
              let role = roleResponse.bodyText.split(whereSeparator: \.isNewline).first.map({ String($0).trimmingSpaces() }),
              !role.isEmpty else {
            return .notFound("\(where_): no IAM role is attached to this instance")
        }
        guard let credentialsResponse = try get(Self.credentialsPath + role) else {
            return .notFound("\(where_): role \(role) has no credentials")
        }
        let source = "\(where_) (role \(role))"
        let json = try TemporaryCredentialsDocument.parse(credentialsResponse.body, source: source)
        if let code = json["Code"]?.stringValue, code != "Success" {
            throw .noCredentials("\(source): Code \(code)")
        }
        let doc = try TemporaryCredentialsDocument(json: json, tokenKey: "Token", requireToken: true, requireExpiration: true, source: source)
        return .found(Credentials(signing: doc.credentials, expiration: doc.expiration,
                                  provenance: Provenance(provider: .instanceMetadata, location: "\(base.description) role \(role)",
                                                         rule: token == nil ? "IMDSv1 (no IMDSv2 token)" : nil)))
    }

    /// The configured endpoint, else IPv4 or IPv6 per the endpoint mode.
    func baseURL() throws(AWSError) -> RequestURL {
        let text: String
        if let custom = settings.endpoint {
            text = custom
        } else {
            switch settings.endpointMode {
            case nil, "ipv4": text = Self.defaultEndpoint
            case "ipv6": text = Self.ipv6Endpoint
            case let other?:
                throw .configuration(ConfigurationError("the instance metadata endpoint mode must be IPv4 or IPv6, not '\(PrintableText.escaped(other))'"))
            }
        }
        do { return try RequestURL(parsing: text).with(path: "/") } catch {
            throw .configuration(ConfigurationError("instance metadata endpoint: \(error)"))
        }
    }
}

extension InstanceMetadataCredentialsProvider {
    public static let registration = ProviderRegistration(
        kind: .instanceMetadata,
        reads: [SettingNames.metadataDisabled, SettingNames.metadataV1Disabled, SettingNames.metadataTimeout, SettingNames.metadataAttempts,
                SettingNames.metadataEndpoint, SettingNames.metadataEndpointMode, SettingNames.ProfileKey.metadataV1Disabled,
                SettingNames.ProfileKey.metadataTimeout, SettingNames.ProfileKey.metadataAttempts, SettingNames.ProfileKey.metadataEndpoint,
                SettingNames.ProfileKey.metadataEndpointMode],
        credentialSource: "Ec2InstanceMetadata"
    ) { scope in
        InstanceMetadataCredentialsProvider(context: scope.context, settings: scope.context.settings.instanceMetadata)
    }
}

extension Provenance.Provider {
    public static let instanceMetadata = Provenance.Provider("instance-metadata")
}
