import AWSConfig
import AWSCore
import Platform

/// Shell completion of parameter names and secret names, read from the service with the
/// profile, region and endpoint already on the command line (or in the environment), as the
/// AWS CLI completes resource names. Never in the user's way: credentials that would need the
/// user (an MFA code, a `credential_process`, a vault passphrase prompt) give nothing, so does
/// any error, and everything ends within `deadline` seconds (connection included); the names
/// a query gave are kept `CompletionCache.lifetime` seconds.
public enum ResourceCompletion {
    public enum Kind: String, Sendable {
        case parameters
        case secrets
    }

    /// Seconds a completion may take in all.
    public static let deadline = 2.0

    /// What to offer for `typed`, the start of word `index` of `words`; nothing on any failure.
    public static func offers(_ kind: Kind, words: [String], index: Int, typed: String, environment: Environment) -> [String] {
        offers(kind, line: CompletionLine(words: words, completing: index), typed: typed, environment: environment)
    }

    /// `transport` replaces libcurl (tests).
    static func offers(_ kind: Kind, line: CompletionLine, typed: String, environment: Environment,
                       deadline: Double = deadline, transport: (any HTTPTransport)? = nil) -> [String] {
        if line.afterTerminator { return [] }
        return BoundedWork.run(seconds: deadline) {
            (try? compute(kind, line: line, typed: typed, environment: environment, transport: transport)) ?? []
        } ?? []
    }

    static func compute(_ kind: Kind, line: CompletionLine, typed: String, environment: Environment,
                        transport: (any HTTPTransport)?) throws(AWSError) -> [String] {
        var settings = SessionSettings(profile: line.profile, region: line.region, endpointURL: line.endpointURL,
                                       connectTimeout: "1", readTimeout: "2", totalTimeout: "2")
        settings.interactive = false
        let session = try AWSSession(settings: settings, environment: environment, transport: transport)
        switch kind {
        case .parameters:
            let completion = ParameterNameOffers(typed: typed, root: ParameterRoot.resolve(prefix: line.prefix, env: line.env, environment: environment).path)
            let entry = try names(session, .ssm, query: completion.query, narrowQuery: completion.narrowQuery) { query throws(AWSError) in
                try ResourceNameSource.parameters(try session.ssm(), beginningWith: query)
            }
            return completion.offers(entry)
        case .secrets:
            let completion = SecretNameOffers(typed: typed)
            let entry = try names(session, .secretsManager, query: completion.query, narrowQuery: completion.narrowQuery) { query throws(AWSError) in
                try ResourceNameSource.secrets(try session.secretsManager(), beginningWith: query)
            }
            return completion.offers(entry)
        }
    }

    /// The names under `query`; when there are more than are read, those under `narrowQuery`.
    static func names(_ session: AWSSession, _ service: AWSService, query: String, narrowQuery: String,
                      _ read: (String) throws(AWSError) -> CompletionCache.Entry) throws(AWSError) -> CompletionCache.Entry {
        let entry = try cached(session, service: service, query: query) { () throws(AWSError) in try read(query) }
        guard !entry.complete, narrowQuery != query else { return entry }
        return try cached(session, service: service, query: narrowQuery) { () throws(AWSError) in try read(narrowQuery) }
    }

    /// The cached entry for this profile, region, endpoint and query, else `read`'s (then kept).
    /// An entry of an enclosing folder serves too when it holds every name under it (a
    /// `BeginsWith` answer holds every level below): Tab after Tab down a hierarchy asks once.
    static func cached(_ session: AWSSession, service: AWSService, query: String,
                       _ read: () throws(AWSError) -> CompletionCache.Entry) throws(AWSError) -> CompletionCache.Entry {
        let endpoint = try session.endpoint(service)
        let cache = CompletionCache.standard(session.environment)
        func key(_ query: String) -> String {
            CompletionCache.key([
                ("service", service.signingName), ("profile", session.profileSelection.name), ("region", endpoint.signingRegion),
                ("endpoint", endpoint.url.description), ("key", EnvironmentKeySettings.resolve(session.environment).accessKeyId), ("query", query),
            ])
        }
        if let entry = cache.load(key(query)) { return entry }
        for enclosing in CompletionNames.enclosingFolders(of: query) {
            if let entry = cache.load(key(enclosing)), entry.complete { return entry }
        }
        let entry = try read()
        cache.store(entry, key: key(query))
        return entry
    }
}
