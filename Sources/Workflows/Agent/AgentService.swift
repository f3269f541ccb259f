import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import CredentialServer
import Synchronization
import Vault

/// `credctl agent`: answers credential requests from this user's processes on its socket,
/// holding what it obtained in memory only (session credentials until they expire, and vault
/// entries only with `--unlock-for`, for at most that long). `lock` and the idle limit forget
/// everything at once. Requests are resolved exactly as the client would resolve them (its
/// environment and options), with the held credentials in place of the on-disk cache.
public final class AgentService: Sendable {
    public struct Options: Sendable {
        /// Seconds without a request after which everything held is forgotten.
        public var idleLimit: Int
        /// Seconds an unlocked vault entry is held; nil: never held (each unlock asks again).
        public var unlockFor: Int?
        /// The container endpoint's port on 127.0.0.1 (`/profile/NAME`); nil: none.
        public var containerPort: Int?

        public init(idleLimit: Int, unlockFor: Int?, containerPort: Int? = nil) {
            self.idleLimit = idleLimit
            self.unlockFor = unlockFor
            self.containerPort = containerPort
        }
    }

    public let options: Options
    let listener: AgentListener
    let held = HeldCredentials()
    let entries = HeldVaultEntries()
    let gates = AgentGates()
    let now: @Sendable () -> Int
    let startedAt: Int
    private let lastRequest: Atomic<Int>
    private let idle = Atomic<Bool>(false)

    public init(listener: AgentListener, options: Options, now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.listener = listener
        self.options = options
        self.now = now
        startedAt = now()
        lastRequest = Atomic(startedAt)
    }

    /// Serves until `agent stop`; with a container port, serves that endpoint too (its
    /// requests resolved with the agent's own environment, nobody to ask: a profile that needs a
    /// passphrase or an MFA code is served once a client's request has obtained its session).
    public func run(environment: Environment) throws(AWSError) {
        let container = try ContainerEndpoint.start(self, environment: environment)
        listener.run(tick: { [self] in tick(container) }, serve: { [self] fd in serve(fd, container: container) })
        container?.stop()
    }

    func tick(_ container: CredentialServer?) {
        let t = now()
        held.forgetExpired(now: t)
        if let unlockFor = options.unlockFor { entries.forget(unlockedBefore: t - unlockFor) }
        // Idle: everything forgotten once (the container endpoint's copies too), until the next request.
        if t - lastRequest.load(ordering: .relaxed) >= options.idleLimit, !idle.exchange(true, ordering: .relaxed) {
            forgetAll()
            container?.forgetAll()
        }
    }

    func forgetAll() {
        held.forgetAll()
        entries.forgetAll()
    }

    func serve(_ fd: Int32, container: CredentialServer?) {
        guard let request = try? AgentFrame.receive(on: fd) else { return }
        lastRequest.store(now(), ordering: .relaxed)
        idle.store(false, ordering: .relaxed)
        let reply: JSONValue
        switch request["op"]?.stringValue {
        case "status": reply = status(container)
        case "container":
            guard let container else {
                reply = .object([("error", AgentWire.encode(.configuration(ConfigurationError("this agent serves no container endpoint; start it with --container-port N"))))])
                break
            }
            reply = .object([("url", .string("http://127.0.0.1:\(container.port)\(CredentialServer.profilePath)")), ("token", .string(container.token))])
        case "lock":
            let forgotten = held.expirations.count + entries.count
            forgetAll()
            container?.forgetAll()
            reply = .object([("locked", .bool(true)), ("forgotten", .number(forgotten))])
        case "stop":
            forgetAll()
            container?.forgetAll()
            listener.stop()
            reply = .object([("stopped", .bool(true))])
        case "credentials":
            reply = credentials(request, questions: ClientQuestions(fd: fd))
        case "cached":
            reply = cached(request)
        default:
            reply = .object([("error", AgentWire.encode(.configuration(ConfigurationError("the agent does not know this request"))))])
        }
        try? AgentFrame.send(reply, on: fd)
    }

    func status(_ container: CredentialServer?) -> JSONValue {
        let expirations = held.expirations
        return .object([("pid", .number(Int(DaemonProcess.id))), ("socket", .string(listener.socket.path)), ("started", .number(startedAt)),
                        ("idle_limit_seconds", .number(options.idleLimit)), ("unlock_for_seconds", options.unlockFor.map { .number($0) } ?? .null),
                        ("sessions_held", .number(expirations.count)), ("next_expiration", expirations.first.map { .number($0) } ?? .null),
                        ("vault_entries_held", .number(entries.count)),
                        ("container_url", container.map { .string("http://127.0.0.1:\($0.port)\(CredentialServer.profilePath)") } ?? .null)])
    }

    func credentials(_ message: JSONValue, questions: ClientQuestions) -> JSONValue {
        guard let request = AgentCredentialRequest(json: message) else {
            return .object([("error", AgentWire.encode(.configuration(ConfigurationError("a malformed credentials request"))))])
        }
        // One resolution per profile at a time: a second client waits, then finds what the first obtained.
        return gates.withGate("\(request.source.rawValue)\u{0}\(request.profile ?? "")") {
            do throws(AWSError) {
                return .object([("credentials", AgentWire.encode(try resolve(request, questions: questions)))])
            } catch {
                return .object([("error", AgentWire.encode(error))])
            }
        }
    }

    func resolve(_ request: AgentCredentialRequest, questions: ClientQuestions) throws(AWSError) -> CredentialChain.Resolution {
        var variables = request.environment
        // What the agent runs (credential_process, mfa_process) never asks the agent back.
        variables[AgentSocketPath.variable] = "off"
        let environment = Environment(variables)
        let session = try AWSSession(settings: SessionSettings(profile: request.profile, region: request.region, mfaCode: request.mfaCode),
                                     environment: environment)
        var context = try session.credentialContext()
        context.cache = CredentialCache(held: held)
        context.mfa.prompt = { prompt in questions.ask("mfa", prompt: prompt).map { String(decoding: $0, as: UTF8.self) } }
        context.openVault = vaultOpener(environment, questions: questions)
        switch request.source {
        case .vault:
            let profile = request.profile ?? session.profileSelection.name
            let vault = try context.openVault(request.vaultBackend)
            let found = try VaultSessionCredentials(vault: vault, profile: profile, context: context).credentials()
            return CredentialChain.Resolution(credentials: try CredentialChecks.usable(found, from: .vault, now: context.now()),
                                              attempts: [])
        case .chain:
            return try CredentialChain.standard(context: context, profile: session.profileSelection).resolve()
        }
    }

    /// Vaults opened with the client's settings; the passphrase is asked of the client; with
    /// `--unlock-for`, unlocked entries are held.
    func vaultOpener(_ environment: Environment, questions: ClientQuestions) -> @Sendable (VaultBackendKind?) throws(AWSError) -> Vault {
        let held = options.unlockFor == nil ? nil : entries
        let now = self.now
        return { (kind: VaultBackendKind?) throws(AWSError) -> Vault in
            let settings: VaultSettings
            do throws(ConfigurationError) { settings = try VaultSettings.resolve(flag: kind, environment: environment) } catch { throw error.awsError }
            let passphrase = PassphraseSource(.resolve(command: nil, environment: environment), environment: environment,
                                              prompt: { questions.ask("passphrase", prompt: $0) })
            let vault = Vault(settings: settings, passphrase: passphrase, environment: environment)
            guard let held else { return vault }
            return Vault(backend: HoldingVaultBackend(inner: vault.backend, held: held, now: now))
        }
    }
}

/// One lock per key, made on first use.
final class AgentGates: Sendable {
    final class Gate: Sendable { let lock = Mutex<Void>(()) }
    private let gates = Mutex<[String: Gate]>([:])

    func withGate(_ key: String, _ body: () -> JSONValue) -> JSONValue {
        let gate = gates.withLock { all in
            if let g = all[key] { return g }
            let g = Gate()
            all[key] = g
            return g
        }
        return gate.lock.withLock { _ in body() }
    }
}
