import Agent
import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl cached -- CMD …`, for `credential_process`: CMD's credentials, run once and served
/// until they near their `Expiration` (15 minutes before, as botocore refreshes). The agent holds
/// them when one runs; without one they are kept sealed in the vault file (`SealedCachedResults`)
/// where the vault opens without a prompt, and CMD runs every time anywhere else. The output is
/// checked as every process result is; a failing CMD, or one without an Expiration, is never
/// kept. Both ways print the same bytes: the result rendered as `credential_process` JSON.
public enum CachedProcess {
    /// The `credential_process` JSON CMD's credentials make.
    /// `fresh` (`--no-cache`) runs CMD and keeps nothing: neither the agent nor the vault is asked.
    public static func run(_ command: [String], environment: Environment, fresh: Bool = false, log: DebugLog = .off) throws(AWSError) -> String {
        let command = absoluteProgram(command)
        let found: Credentials
        if fresh {
            log("credctl cached: --no-cache: CMD runs, its result neither read from nor kept in the agent or the vault")
            found = try runOnce(command, environment: environment.variables)
        } else if let answer = try AgentClient.converse(request(command, environment: environment), environment: environment, passphraseCommand: nil) {
            log("credctl cached: the result from credctl agent (\(answer.credentials.provenance.fromCache ? "held" : "CMD run by it"))")
            found = answer.credentials
        } else if let sealed = SealedCachedResults.open(environment: environment, log: log) {
            found = try sealed.result(key: key(command), origin: origin(command)) { () throws(AWSError) in
                try runOnce(command, environment: environment.variables)
            }
        } else {
            found = try runOnce(command, environment: environment.variables)
        }
        return try CredentialExport(credentials: found, region: nil).render(.process)
    }

    /// A relative program path (`./get-creds`) made absolute: the agent runs in a folder of its
    /// own, and a kept result names the program the caller meant.
    static func absoluteProgram(_ command: [String]) -> [String] {
        var command = command
        if let program = command.first, program.contains("/") { command[0] = WorkingDirectory.absolute(program) }
        return command
    }

    /// The request the agent answers (the program already made absolute).
    static func request(_ command: [String], environment: Environment) -> JSONValue {
        .object([("op", .string("cached")), ("command", .array(command.map { .string($0) })),
                 ("environment", .object(environment.variables.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }

    static func origin(_ command: [String]) -> String {
        "credctl cached: `\(PrintableText.escaped(command.joined(separator: " ")))`"
    }

    static func runOnce(_ command: [String], environment: [String: String]) throws(AWSError) -> Credentials {
        let result = try ProcessCredentialsProvider.run(command, environment: environment, origin: origin(command))
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
                                                  provenance: Provenance(provider: .process, rule: "credctl cached", fromCache: true),
                                                  accountId: entry.accountId)
                    return .object([("credentials", AgentWire.encode(CredentialChain.Resolution(credentials: credentials, attempts: [])))])
                }
                let fresh = try CachedProcess.runOnce(command, environment: environment)
                if let expiration = fresh.expiration, expiration - now() >= CredentialCache.refreshWindow {
                    try cache.store(CredentialCache.Entry(credentials: fresh.signing, expiration: expiration, accountId: fresh.accountId), key: key)
                }
                return .object([("credentials", AgentWire.encode(CredentialChain.Resolution(credentials: fresh, attempts: [])))])
            } catch {
                return .object([("error", AgentWire.encode(error))])
            }
        }
    }
}
