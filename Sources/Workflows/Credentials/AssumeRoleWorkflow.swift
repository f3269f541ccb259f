import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl assume ROLE_ARN`: the resolved credentials assume a role once (no cache) on the
/// regional STS endpoint.
public struct AssumeRoleWorkflow: Sendable {
    public var roleArn: String
    public var externalId: String?
    public var sessionName: String?
    public var durationSeconds: Int?
    public var mfaSerial: String?

    public init(roleArn: String, externalId: String? = nil, sessionName: String? = nil, durationSeconds: Int? = nil, mfaSerial: String? = nil) {
        self.roleArn = roleArn
        self.externalId = externalId
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.mfaSerial = mfaSerial
    }

    /// STS's parameter rules, checked before anything is resolved or called.
    public func validate() throws(AWSError) {
        func fail(_ problem: String) -> AWSError { .configuration(ConfigurationError(problem)) }
        if let p = STSParameterRules.roleArnProblem(roleArn) { throw fail(p) }
        if let v = externalId, let p = STSParameterRules.externalIdProblem(v) { throw fail("--external-id: \(p)") }
        if let v = sessionName, let p = STSParameterRules.sessionNameProblem(v) { throw fail("--session-name: \(p)") }
        if let v = durationSeconds, let p = STSParameterRules.durationProblem(v, chained: false) { throw fail("--duration: \(p)") }
    }

    public struct Result: Sendable {
        public var credentials: Credentials
        public var assumedRoleArn: String
        public var endpoint: ResolvedEndpoint
    }

    /// `promptForMFA: false` for the credentials server's refreshes: the terminal is the child's.
    public func run(_ session: AWSSession, promptForMFA: Bool = true) throws(AWSError) -> Result {
        try validate()
        let source = try session.resolveCredentials().credentials
        var context = try session.credentialContext()
        if !promptForMFA { context.mfa = MFACodeSource() }
        // `--endpoint-url` is this command's own service's (STS), unlike the providers' STS calls.
        var endpointContext = context
        if let url = session.endpoints.configured(for: .sts) { endpointContext.stsEndpointOverride = (url.value, url.source) }
        let endpoint = try endpointContext.stsEndpoint()
        let code: String?
        if let serial = mfaSerial { code = try context.mfa.code(serial: serial, profile: session.profileSelection.name) } else { code = nil }
        let sts = STSClient(client: try session.client(), endpoint: endpoint)
        let assumed = try sts.assumeRole(AssumeRoleRequest(
            roleArn: roleArn, sessionName: sessionName ?? "credctl-\(context.now())", externalId: externalId,
            durationSeconds: durationSeconds, mfaSerial: mfaSerial, mfaCode: code))
        var chain = source.provenance.roleChain
        if chain.isEmpty { chain = [source.provenance.summary] }
        let provenance = Provenance(provider: .assumeRole, profile: source.provenance.profile, location: "credctl assume",
                                    roleChain: chain + [roleArn])
        // Handed to a shell or a child: checked as any provider's (no control character, not expired).
        let credentials = try CredentialChecks.usable(
            Credentials(signing: assumed.credentials, expiration: assumed.expiration, provenance: provenance),
            from: .assumeRole, now: context.now())
        return Result(credentials: credentials, assumedRoleArn: assumed.assumedRoleArn, endpoint: endpoint)
    }
}
