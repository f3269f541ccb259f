import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
import SigV4

/// One line of `credctl doctor`'s checklist.
public typealias DoctorCheck = Report.CheckItem

/// What `doctor --check` should probe.
public enum DoctorProbe: Sendable, Equatable {
    case dynamoDB(table: String?)
    case ssm(path: String)
    case secrets(id: String?)
    case iamSelf
}

/// `credctl doctor`: walks configuration, credentials, key shape, region, endpoint, STS and
/// the clock, in that order, and says what is wrong and how to fix it. Never prints a secret.
public struct Doctor: Sendable {
    public struct Report: Sendable {
        public var checks: [DoctorCheck]
        public var probes: [ProbeResult]
        public var passed: Bool { !checks.contains { $0.status == .fail } && probes.allSatisfy(\.passed) }
    }

    public let settings: SessionSettings
    public let environment: Environment
    public let probes: [DoctorProbe]

    public init(settings: SessionSettings, environment: Environment, probes: [DoctorProbe]) {
        self.settings = settings
        self.environment = environment
        self.probes = probes
    }

    public func run() -> Report {
        var checks: [DoctorCheck] = []
        let session: AWSSession
        do { session = try AWSSession(settings: settings, environment: environment) } catch {
            checks.append(DoctorCheck("configuration", .fail, error.description,
                                      fix: "correct the file and line named (or the variable or flag); credctl reads the files as botocore does"))
            return Report(checks: checks, probes: [])
        }
        checks.append(DoctorCheck("configuration", .ok, "profile \(session.profileSelection.name) (from \(session.profileSelection.source.rawValue)); files \(session.files.configPath), \(session.files.credentialsPath)"))
        // Lines other AWS SDKs read differently, or that the AWS CLI ignores.
        checks += ProfileFileNotes.notes(environment: environment).map {
            DoctorCheck("profile files", $0.kind == .otherSDKsDiffer ? .warn : .info, $0.message)
        }
        checks += SSODiagnosis.checks(session)
        checks += LoginDiagnosis.checks(session)

        // Credentials: which providers were tried, and which answered.
        let resolution: CredentialChain.Resolution
        do { resolution = try session.resolveCredentials() } catch {
            checks.append(DoctorCheck("credentials", .fail, error.description,
                                      fix: SSODiagnosis.credentialsFix(session, error: error) ?? Self.credentialsFix(error)))
            return Report(checks: checks + [regionCheck(session)], probes: [])
        }
        let credentials = resolution.credentials
        for attempt in resolution.attempts where attempt.provider != credentials.provenance.provider {
            checks.append(DoctorCheck("provider \(attempt.provider)", .info, attempt.outcome))
        }
        var found = "\(credentials.provenance.summary)\(credentials.provenance.fromCache ? " [cached]" : "")"
        if let rule = credentials.provenance.rule { found += "; rule: \(rule)" }
        checks.append(DoctorCheck("credentials", .ok, found))
        checks.append(keyShapeCheck(credentials))
        checks.append(regionCheck(session))

        // STS, the endpoint and the clock, from one GetCallerIdentity.
        let endpoint: ResolvedEndpoint
        do { endpoint = try session.endpoint(.sts) } catch {
            checks.append(DoctorCheck("endpoint", .fail, error.description, fix: "check --endpoint-url / AWS_ENDPOINT_URL(_STS)"))
            return Report(checks: checks, probes: [])
        }
        checks.append(DoctorCheck("endpoint", .info, "\(endpoint.url) (\(endpoint.source))"))
        let sts = stsCall(session, credentials: credentials, endpoint: endpoint)
        checks += sts
        guard !sts.contains(where: { $0.status == .fail && ($0.name == "endpoint reachable" || $0.name == "sts") }) else {
            return Report(checks: checks, probes: [])
        }
        var probeResults: [ProbeResult] = []
        let permissionChecks = PermissionChecks(session: session)
        for probe in probes {
            do {
                switch probe {
                case .dynamoDB(let table): probeResults += try permissionChecks.dynamoDB(tables: table.map { [$0] } ?? [])
                case .ssm(let path): probeResults += try permissionChecks.parameterStore(path: path)
                case .secrets(let id): probeResults += try permissionChecks.secretsManager(id: id)
                case .iamSelf: probeResults += try permissionChecks.iamSelf()
                }
            } catch {
                checks.append(DoctorCheck("probe", .fail, error.description))
            }
        }
        return Report(checks: checks, probes: probeResults)
    }

    func keyShapeCheck(_ credentials: Credentials) -> DoctorCheck {
        let id = credentials.accessKeyId
        let masked = Redaction.keyId(id)
        let token = credentials.signing.sessionToken != nil
        switch KeyType(accessKeyId: id) {
        case .temporary:
            return token ? DoctorCheck("key shape", .ok, "\(masked): temporary (ASIA) with a session token")
                : DoctorCheck("key shape", .fail, "\(masked) is a temporary (ASIA) key without its session token",
                              fix: "set AWS_SESSION_TOKEN (or aws_session_token) to the token issued with this key, or use long-term keys")
        case .longTerm:
            return token ? DoctorCheck("key shape", .warn, "\(masked) is a long-term (AKIA) key sent with a session token",
                                       fix: "remove AWS_SESSION_TOKEN / aws_session_token: a long-term key has none, and AWS refuses the pair")
                : DoctorCheck("key shape", .ok, "\(masked): long-term (AKIA)")
        case .unknown:
            return DoctorCheck("key shape", .fail, "\(masked) starts with neither AKIA nor ASIA",
                               fix: "check that the access key id was copied whole (credctl keys inspect KEY_ID)")
        }
    }

    func regionCheck(_ session: AWSSession) -> DoctorCheck {
        let found: ResolvedRegion?
        do { found = try session.region } catch { return DoctorCheck("region", .fail, error.description) }
        guard let region = found else {
            return DoctorCheck("region", .fail, "no region is set" + (session.regionNote.map { " (none from instance metadata: \($0))" } ?? ""),
                               fix: "set AWS_REGION (and AWS_DEFAULT_REGION for older tools), pass --region, or add region = … to the profile")
        }
        return DoctorCheck("region", .ok, "\(region.name) (from \(region.source))")
    }

    /// GetCallerIdentity, read raw so that the answer's `Date` header can be compared with the
    /// local clock whatever the answer was.
    func stsCall(_ session: AWSSession, credentials: Credentials, endpoint: ResolvedEndpoint) -> [DoctorCheck] {
        let client: AWSClient
        do { client = try session.client() } catch { return [DoctorCheck("sts", .fail, error.description)] }
        let request = STSClient(client: client, endpoint: endpoint).getCallerIdentityRequest
        let sentAt = session.now()
        let response: HTTPResponse
        do {
            response = try client.send(request, service: "sts", signingRegion: endpoint.signingRegion, operation: "sts:GetCallerIdentity",
                                       options: AWSClient.SendOptions(returnErrorResponses: true))
        } catch {
            if case .transport(let t) = error {
                return [DoctorCheck("endpoint reachable", .fail, t.description, fix: Self.fix(for: t))]
            }
            return [DoctorCheck("sts", .fail, error.description)]
        }
        var checks = [DoctorCheck("endpoint reachable", .ok, "HTTP \(response.status) from \(endpoint.url.hostHeader)")]
        let skew = response.header("date").flatMap(HTTPDate.parse).map { $0 - sentAt }
        if response.isSuccess, let root = try? XMLDocument.parse(response.body),
           let result = root.child("GetCallerIdentityResult"), let arn = result["Arn"] {
            checks.append(DoctorCheck("sts", .ok, "GetCallerIdentity: \(arn) (account \(result["Account"] ?? "?"))"))
        } else {
            let e = ErrorBodyParser.parse(response, operation: "sts:GetCallerIdentity")
            let skewed = (skew.map { abs($0) > ClockSkew.largeSkew } ?? false)
            checks.append(DoctorCheck("sts", .fail, "GetCallerIdentity: \(e.code): \(CredentialErrorExplanation.explain(e.code, skewed: skewed))",
                                      fix: CredentialErrorExplanation.fix(e.code)))
        }
        if let skew {
            if abs(skew) > ClockSkew.largeSkew {
                checks.append(DoctorCheck("clock", .fail,
                    "the local clock is \(abs(skew)) s \(skew > 0 ? "behind" : "ahead of") the server (its Date header); AWS refuses requests signed more than 5 minutes off (credctl corrects itself after such a refusal, other tools do not)",
                    fix: "synchronise the clock (timedatectl set-ntp true, or your platform's time service)"))
            } else {
                checks.append(DoctorCheck("clock", .ok, "within \(abs(skew)) s of the server"))
            }
        } else {
            checks.append(DoctorCheck("clock", .warn, "the server sent no readable Date header; skew not measured"))
        }
        return checks
    }

    /// Found but unusable (expired, or a control character in a key) is fixed at the source
    /// named; none found is fixed by giving some.
    static func credentialsFix(_ error: AWSError) -> String {
        if case .invalidCredentials = error {
            return "get fresh credentials from the source named (credctl never signs with expired or damaged credentials)"
        }
        return "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile that has keys or a role (--profile / AWS_PROFILE), or run aws configure"
    }

    static func fix(for error: TransportError) -> String {
        switch error.kind {
        case .dnsFailure: return "check the host name (AWS_ENDPOINT_URL, region) and DNS; behind a proxy set HTTPS_PROXY"
        case .connectionFailed: return "check the network, firewall, HTTPS_PROXY/NO_PROXY and the endpoint's port"
        case .tlsFailure: return "check the system CA certificates or AWS_CA_BUNDLE (a TLS-intercepting proxy needs its CA there)"
        case .proxyFailure: return "check HTTPS_PROXY/HTTP_PROXY and NO_PROXY"
        case .timeout: return "the endpoint did not answer in time: check the network, or raise --cli-read-timeout"
        default: return "check the network and the endpoint"
        }
    }
}
