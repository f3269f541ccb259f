import AWSCore
import AWSCredentials
import SigV4

/// How credentials, their provenance and errors travel between the agent and its clients, as
/// JSON members. Errors keep their kind, so a client reports the agent's failure with the
/// message and exit code it would have had resolving alone.
enum AgentWire {
    static func encode(_ resolution: CredentialChain.Resolution) -> JSONValue {
        let c = resolution.credentials
        let p = c.provenance
        var provenance: [(String, JSONValue)] = [("provider", .string(p.provider.rawValue)), ("profile", .optional(p.profile)),
                                                 ("location", .optional(p.location)), ("rule", .optional(p.rule)),
                                                 ("role_chain", .array(p.roleChain.map { .string($0) })), ("from_cache", .bool(p.fromCache))]
        if let sso = p.sso {
            provenance.append(("sso", .object([("session", .optional(sso.sessionName)), ("start_url", .string(sso.startURL)),
                                               ("region", .string(sso.region)), ("account", .string(sso.accountId)),
                                               ("role", .string(sso.roleName)), ("token_expiration", sso.tokenExpiration.map { .number($0) } ?? .null),
                                               ("token_refreshed", .bool(sso.tokenRefreshed))])))
        }
        return .object([
            ("access_key_id", .string(c.signing.accessKeyId)), ("secret_access_key", .string(c.signing.secretAccessKey)),
            ("session_token", .optional(c.signing.sessionToken)), ("expiration", c.expiration.map { .number($0) } ?? .null),
            ("account_id", .optional(c.accountId)), ("provenance", .object(provenance)),
            ("attempts", .array(resolution.attempts.map { .object([("provider", .string($0.provider.rawValue)), ("outcome", .string($0.outcome))]) })),
        ])
    }

    static func decodeResolution(_ json: JSONValue) -> CredentialChain.Resolution? {
        guard let id = json["access_key_id"]?.stringValue, let secret = json["secret_access_key"]?.stringValue,
              let p = json["provenance"], let provider = p["provider"]?.stringValue.map(Provenance.Provider.init) else { return nil }
        var sso: SSOProvenance?
        if let s = p["sso"], let url = s["start_url"]?.stringValue, let region = s["region"]?.stringValue,
           let account = s["account"]?.stringValue, let role = s["role"]?.stringValue {
            sso = SSOProvenance(sessionName: s["session"]?.stringValue, startURL: url, region: region, accountId: account, roleName: role,
                                tokenExpiration: s["token_expiration"]?.intValue, tokenRefreshed: s["token_refreshed"]?.boolValue ?? false)
        }
        let provenance = Provenance(provider: provider, profile: p["profile"]?.stringValue, location: p["location"]?.stringValue,
                                    rule: p["rule"]?.stringValue, roleChain: (p["role_chain"]?.arrayValue ?? []).compactMap(\.stringValue),
                                    fromCache: p["from_cache"]?.boolValue ?? false, sso: sso)
        let credentials = Credentials(signing: SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: json["session_token"]?.stringValue),
                                      expiration: json["expiration"]?.intValue, provenance: provenance,
                                      accountId: json["account_id"]?.stringValue)
        let attempts = (json["attempts"]?.arrayValue ?? []).compactMap { a -> ProviderAttempt? in
            guard let provider = a["provider"]?.stringValue.map(Provenance.Provider.init),
                  let outcome = a["outcome"]?.stringValue else { return nil }
            return ProviderAttempt(provider: provider, outcome: outcome)
        }
        return CredentialChain.Resolution(credentials: credentials, attempts: attempts)
    }

    static func encode(_ error: AWSError) -> JSONValue {
        switch error {
        case .service(let e):
            return .object([("kind", .string("service")), ("code", .string(e.code)), ("message", .string(e.message)),
                            ("request_id", .optional(e.requestId)), ("http_status", .number(e.httpStatus)), ("operation", .optional(e.operation))])
        case .transport(let t):
            return .object([("kind", .string("transport")), ("transport_kind", .string(t.kind.rawValue)), ("host", .string(t.host)),
                            ("detail", .string(t.detail)), ("connected", .bool(t.connected))])
        case .noCredentials(let m): return .object([("kind", .string("no-credentials")), ("message", .string(m))])
        case .invalidCredentials(let m): return .object([("kind", .string("invalid-credentials")), ("message", .string(m))])
        case .configuration(let e): return .object([("kind", .string("configuration")), ("message", .string(e.message))])
        case .notFound(let m): return .object([("kind", .string("not-found")), ("message", .string(m))])
        case .invalidResponse(let operation, let detail):
            return .object([("kind", .string("invalid-response")), ("operation", .string(operation)), ("detail", .string(detail))])
        }
    }

    static func decodeError(_ json: JSONValue) -> AWSError {
        let message = json["message"]?.stringValue ?? "the agent failed without saying why"
        switch json["kind"]?.stringValue {
        case "service":
            return .service(AWSServiceError(code: json["code"]?.stringValue ?? "", message: message, requestId: json["request_id"]?.stringValue,
                                            httpStatus: json["http_status"]?.intValue ?? 0, operation: json["operation"]?.stringValue))
        case "transport":
            return .transport(TransportError(kind: json["transport_kind"]?.stringValue.flatMap(TransportError.Kind.init(rawValue:)) ?? .other,
                                             host: json["host"]?.stringValue ?? "", detail: json["detail"]?.stringValue ?? "",
                                             connected: json["connected"]?.boolValue ?? true))
        case "invalid-credentials": return .invalidCredentials(message)
        case "configuration": return .configuration(ConfigurationError(message))
        case "not-found": return .notFound(message)
        case "invalid-response": return .invalidResponse(operation: json["operation"]?.stringValue ?? "", detail: json["detail"]?.stringValue ?? "")
        default: return .noCredentials(message)
        }
    }
}
