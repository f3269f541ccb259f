import AWSConfig
import AWSCore

/// ECS task roles and EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token of
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read afresh) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`
/// as the `Authorization` header. Plain http goes only to loopback and the container
/// endpoints; any other URL is refused before a connection is made.
public struct ContainerCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.container
    let context: CredentialContext
    let settings: ContainerSettings

    static let ecsHost = "169.254.170.2"
    /// Hosts plain http may reach: the ECS and EKS endpoints (besides loopback).
    static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost", "::1", "0:0:0:0:0:0:0:1"]

    public init(context: CredentialContext, settings: ContainerSettings) {
        self.context = context
        self.settings = settings
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        let url: RequestURL
        let variable: String
        if let relative = settings.relativeURI {
            variable = SettingNames.containerRelativeURI
            url = try parse("http://\(Self.ecsHost)\(relative)", from: variable)
        } else if let full = settings.fullURI {
            variable = SettingNames.containerFullURI
            url = try parse(full, from: variable)
            if url.scheme == "http", !Self.isAllowedPlainHTTPHost(url.host) {
                throw .configuration(ConfigurationError(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is allowed only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23, not \(url.host); use https"))
            }
        } else {
            return .notFound("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token = try authorizationToken() { headers.append(("Authorization", token)) }

        let endpoint = MetadataEndpoint(timeout: 2, total: 5, context: context)
        let source = "container endpoint \(url.hostHeader) (\(variable))"
        var lastProblem = ""
        for attempt in 1...3 {
            context.log("credentials: GET \(url) (container endpoint, attempt \(attempt))")
            do {
                let response = try endpoint.send("GET", url, headers: headers)
                if response.status == 200 {
                    let doc = try TemporaryCredentialsDocument(
                        json: try TemporaryCredentialsDocument.parse(response.body, source: source),
                        tokenKey: "Token", requireToken: true, requireExpiration: true, source: source)
                    return .found(Credentials(signing: doc.credentials, expiration: doc.expiration,
                                              provenance: Provenance(provider: .container, location: url.description)))
                }
                lastProblem = "HTTP \(response.status)"
                if (400..<500).contains(response.status) { break }
            } catch let error as TransportError {
                lastProblem = error.description
            } catch let error as AWSError {
                throw error
            } catch {
                throw .noCredentials("\(error)")
            }
        }
        throw .noCredentials("\(source) gave no credentials: \(lastProblem)")
    }

    func parse(_ text: String, from variable: String) throws(AWSError) -> RequestURL {
        do { return try RequestURL(parsing: text) } catch {
            throw .configuration(ConfigurationError("\(variable): \(error)"))
        }
    }

    /// The token file wins over the variable; a control character (CR, LF, NUL, …) would split
    /// or cut the header and is refused.
    func authorizationToken() throws(AWSError) -> String? {
        let token: String
        let origin: String
        if let path = settings.tokenFile {
            origin = SettingNames.containerTokenFile
            token = try TokenFile.read(path, origin: origin)
        } else if let value = settings.token {
            origin = SettingNames.containerToken
            token = value
        } else {
            return nil
        }
        if token.utf8.contains(where: HeaderRules.isForbiddenInValue) {
            throw .configuration(ConfigurationError("the container authorization token from \(origin) contains a CR, LF or other control character, which cannot go in a header"))
        }
        return token
    }

    /// Loopback (127.0.0.0/8, ::1, localhost) or one of the container endpoints.
    static func isAllowedPlainHTTPHost(_ host: String) -> Bool {
        if allowedHTTPHosts.contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { o in
            guard let v = Int(o), (0...255).contains(v), o.allSatisfy(\.isNumber) else { return false }
            return true
        }
    }
}

extension ContainerCredentialsProvider {
    public static let registration = ProviderRegistration(
        kind: .container,
        reads: [SettingNames.containerRelativeURI, SettingNames.containerFullURI, SettingNames.containerTokenFile, SettingNames.containerToken],
        credentialSource: "EcsContainer"
    ) { scope in
        ContainerCredentialsProvider(context: scope.context, settings: scope.context.settings.container)
    }
}

extension Provenance.Provider {
    public static let container = Provenance.Provider("container")
}
