import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import Glibc
import SigV4
import Testing
@testable import Workflows

/// The agent's wire: frames, what credentials and errors become on the way and back, the
/// socket's path, and a request's environment.
@Suite struct AgentProtocolTests {
    func pair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func framesCarryJSONObjects() throws {
        let (a, b) = pair()
        defer { close(a); close(b) }
        let message: JSONValue = .object([("op", .string("status")), ("n", .number(3)), ("text", .string("é\u{0}\n"))])
        try AgentFrame.send(message, on: a)
        #expect(try AgentFrame.receive(on: b) == message)
    }

    @Test func oversizedTruncatedAndNonObjectFramesAreRefused() {
        let (a, b) = pair()
        defer { close(a); close(b) }
        // A length over 1 MiB is refused before anything is allocated.
        _ = [UInt8]([0x00, 0x10, 0x00, 0x01]).withUnsafeBytes { write(a, $0.baseAddress, 4) }
        #expect(throws: AgentConnectionError.self) { try AgentFrame.receive(on: b) }
        let (c, d) = pair()
        defer { close(d) }
        let array = Array("[1,2]".utf8)
        _ = ([0, 0, 0, UInt8(array.count)] + array).withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
        #expect(throws: AgentConnectionError.self) { try AgentFrame.receive(on: d) }
        _ = [UInt8]([0, 0, 0, 9, 0x7B]).withUnsafeBytes { write(c, $0.baseAddress, 5) }
        close(c)
        #expect(throws: AgentConnectionError.self) { try AgentFrame.receive(on: d) }
    }

    @Test func credentialsAndProvenanceComeBackWhole() throws {
        let sso = SSOProvenance(sessionName: "corp", startURL: "https://x.awsapps.com/start", region: "eu-west-1", accountId: "111111111111",
                                roleName: "Admin", tokenExpiration: 1_900_000_000, tokenRefreshed: true)
        let credentials = Credentials(signing: SigningCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/+=", sessionToken: "token"),
                                      expiration: 1_800_000_000,
                                      provenance: Provenance(provider: .sso, profile: "dev", location: "/h/.aws/config:3", rule: "r",
                                                             roleChain: ["a", "b"], fromCache: true, sso: sso),
                                      accountId: "111111111111")
        let resolution = CredentialChain.Resolution(credentials: credentials, attempts: [ProviderAttempt(provider: .environment, outcome: "no keys")])
        let json = try JSONValue.parse(AgentWire.encode(resolution).serialized())
        let back = try #require(AgentWire.decodeResolution(json))
        #expect(back.credentials.signing == credentials.signing && back.credentials.expiration == credentials.expiration)
        #expect(back.credentials.provenance == credentials.provenance && back.attempts == resolution.attempts)
        // The account id too: what the agent answers prints as the command alone would print it.
        #expect(back.credentials.accountId == "111111111111")
        let longTerm = CredentialChain.Resolution(credentials: Credentials(signing: SigningCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s"),
                                                                           provenance: Provenance(provider: .vault)), attempts: [])
        let plain = try #require(AgentWire.decodeResolution(AgentWire.encode(longTerm)))
        #expect(plain.credentials.expiration == nil && plain.credentials.signing.sessionToken == nil && plain.credentials.accountId == nil)
        #expect(AgentWire.decodeResolution(.object([("access_key_id", .string("x"))])) == nil)
    }

    @Test func errorsKeepTheirKindAndMessage() {
        let errors: [AWSError] = [
            .noCredentials("no passphrase"), .invalidCredentials("rejected"), .configuration(ConfigurationError("bad profile")),
            .notFound("gone"), .invalidResponse(operation: "GetSessionToken", detail: "no Credentials"),
            .service(AWSServiceError(code: "AccessDenied", message: "nope", requestId: "r-1", httpStatus: 403, operation: "GetSessionToken")),
            .transport(TransportError(kind: .connectionFailed, host: "sts.amazonaws.com", detail: "refused", connected: false)),
        ]
        for error in errors {
            let back = AgentWire.decodeError(AgentWire.encode(error))
            #expect(back.description == error.description)
            #expect(String(describing: back).prefix(12) == String(describing: error).prefix(12))
        }
    }

    @Test func theSocketPathFollowsTheEnvironment() {
        #expect(AgentSocketPath.resolve(Environment(["CREDCTL_AGENT_SOCKET": "off", "XDG_RUNTIME_DIR": "/run/user/1"])) == nil)
        #expect(AgentSocketPath.resolve(Environment(["CREDCTL_AGENT_SOCKET": "/tmp/a.sock"]))?.path == "/tmp/a.sock")
        #expect(AgentSocketPath.resolve(Environment(["XDG_RUNTIME_DIR": "/run/user/1", "HOME": "/h"]))?.path == "/run/user/1/credctl/agent.sock")
        #expect(AgentSocketPath.resolve(Environment(["XDG_RUNTIME_DIR": "relative", "HOME": "/h"]))?.path == "/h/.aws/credctl/agent.sock")
        #expect(AgentSocketPath.resolve(Environment(["HOME": "/h"]))?.folder == "/h/.aws/credctl")
    }

    @Test func aRequestKeepsThePassphraseVariablesWithTheClient() throws {
        let env = Environment(["AWS_PROFILE": "p", "CREDCTL_VAULT_PASSPHRASE": "secret", "CREDCTL_VAULT_PASSPHRASE_COMMAND": "pass show x", "HOME": "/h"])
        let request = AgentCredentialRequest(source: .vault, profile: "p", region: "eu-west-1", mfaCode: "123456", vaultBackend: .file, environment: env)
        #expect(request.environment == ["AWS_PROFILE": "p", "HOME": "/h"])
        #expect(!request.json.serialized().contains("secret") && !request.json.serialized().contains("pass show"))
        #expect(AgentCredentialRequest(json: try JSONValue.parse(request.json.serialized())) == request)
    }

    @Test func relativePathVariablesAreTheClientsFolder() throws {
        let here = try #require(WorkingDirectory.current)
        let env = Environment(["AWS_CONFIG_FILE": "conf/config", "CREDCTL_VAULT_FILE": "~/v.json", "AWS_SHARED_CREDENTIALS_FILE": "/abs/c",
                               "AWS_CA_BUNDLE": "ca.pem", "AWS_PROFILE": "relative-looking/name"])
        let request = AgentCredentialRequest(source: .chain, profile: nil, region: nil, mfaCode: nil, environment: env)
        #expect(request.environment["AWS_CONFIG_FILE"] == here + "/conf/config" && request.environment["AWS_CA_BUNDLE"] == here + "/ca.pem")
        #expect(request.environment["CREDCTL_VAULT_FILE"] == "~/v.json" && request.environment["AWS_SHARED_CREDENTIALS_FILE"] == "/abs/c")
        #expect(request.environment["AWS_PROFILE"] == "relative-looking/name")
    }

    @Test func heldCredentialsExpireAndAreForgotten() {
        let held = HeldCredentials()
        let cache = CredentialCache(held: held)
        let keys = SigningCredentials(accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t")
        try? cache.store(CredentialCache.Entry(credentials: keys, expiration: 100), key: "a")
        try? cache.store(CredentialCache.Entry(credentials: keys, expiration: 200), key: "b")
        #expect(cache.load("a")?.expiration == 100 && held.expirations == [100, 200])
        held.forgetExpired(now: 150)
        #expect(cache.load("a") == nil && cache.load("b") != nil)
        held.forgetAll()
        #expect(held.expirations.isEmpty)
    }
}
