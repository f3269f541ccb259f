import Agent
import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl cached -- CMD …`, for `credential_process`: CMD's credentials, run once and served
/// until they near their `Expiration` (15 minutes before, as botocore refreshes), by the agent.
/// The output is checked as every process result is; a failing CMD, or one without an
/// Expiration, is never held. Without an agent CMD runs every time: credctl keeps no clear copy
/// of its result on disk.
public enum CachedProcess {
    /// The `credential_process` JSON CMD's credentials make.
    public static func run(_ command: [String], environment: Environment) throws(AWSError) -> String {
        let found: Credentials
        if let answer = try AgentClient.converse(request(command, environment: environment), environment: environment, passphraseCommand: nil) {
            found = answer.credentials
        } else {
            found = try runOnce(command, environment: environment.variables)
        }
        return try CredentialExport(credentials: found, region: nil).render(.process)
    }

    /// The command as the agent runs it: a relative program path (`./get-creds`) made absolute,
    /// since the agent runs in a folder of its own.
    static func request(_ command: [String], environment: Environment) -> JSONValue {
        var command = command
        if command[0].contains("/") { command[0] = WorkingDirectory.absolute(command[0]) }
        return .object([("op", .string("cached")), ("command", .array(command.map { .string($0) })),
                 ("environment", .object(environment.variables.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }

    static func runOnce(_ command: [String], environment: [String: String]) throws(AWSError) -> Credentials {
        let origin = "credctl cached: `\(PrintableText.escaped(command.joined(separator: " ")))`"
        let result = try ProcessCredentialsProvider.run(command, environment: environment, origin: origin)
        let credentials = Credentials(signing: result.credentials, expiration: result.expiration,
                                      provenance: Provenance(provider: .process, rule: "credctl cached"),
                                      accountId: result.accountId)
        return try CredentialChecks.usable(credentials, from: .process, now: WallClock.now())
    }

    /// What names a held result: the command line alone (its words), as the AWS CLI and every SDK
    /// run the same line with environments that differ in unrelated variables.
    static func key(_ command: [String]) -> String {
        CredentialCache.key([("Source", "cached")] + command.map { ("Argument", $0) })
    }
}

extension AgentService {
    /// The agent's side of `credctl cached`: the held result, else CMD run once (one run at a
    /// time per command, so clients arriving together share it).
    func cached(_ message: JSONValue) -> JSONValue {
        guard let command = message["command"]?.arrayValue?.compactMap(\.stringValue), !command.isEmpty,
              case .object(let members)? = message["environment"] else {
            return .object([("error", AgentWire.encode(.configuration(ConfigurationError("a malformed cached request"))))])
        }
        var environment = Dictionary(members.compactMap { k, v in v.stringValue.map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
        environment[AgentSocketPath.variable] = "off"
        let key = CachedProcess.key(command)
        let cache = CredentialCache(held: held)
        return gates.withGate("cached\u{0}\(key)") {
            do throws(AWSError) {
                if let entry = cache.load(key), entry.expiration - now() >= CredentialCache.refreshWindow {
                    let credentials = Credentials(signing: entry.credentials, expiration: entry.expiration,
                                                  provenance: Provenance(provider: .process, rule: "credctl cached", fromCache: true))
                    return .object([("credentials", AgentWire.encode(CredentialChain.Resolution(credentials: credentials, attempts: [])))])
                }
                let fresh = try CachedProcess.runOnce(command, environment: environment)
                if let expiration = fresh.expiration {
                    try cache.store(CredentialCache.Entry(credentials: fresh.signing, expiration: expiration), key: key)
                }
                return .object([("credentials", AgentWire.encode(CredentialChain.Resolution(credentials: fresh, attempts: [])))])
            } catch {
                return .object([("error", AgentWire.encode(error))])
            }
        }
    }
}
