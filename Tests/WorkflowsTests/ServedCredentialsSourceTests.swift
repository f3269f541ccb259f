import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import Foundation
import SigV4
import Synchronization
import Testing
import TransportTesting
@testable import Workflows

/// The credentials server's fetches (`creds exec --server`) ask a running agent first, every
/// time: the first fetch may answer the agent's questions on the terminal, a refresh never does
/// (its answer is "none", and the agent reports that); with the agent gone, credctl resolves alone.
@Suite struct ServedCredentialsSourceTests {
    /// An agent on a Unix socket that answers each `credentials` request with the next key after
    /// asking for an MFA code, recording what the client answered.
    final class ScriptedAgent: Sendable {
        let listener: AgentListener
        let requests = Mutex<[JSONValue]>([])
        let answers = Mutex<[JSONValue]>([])
        let done = Atomic<Bool>(false)

        init(socket: String) throws {
            listener = try AgentListener(socket: try #require(AgentSocketPath.resolve(Environment([AgentSocketPath.variable: socket]))))
        }

        func start() {
            Thread.detachNewThread { [self] in
                listener.run(tick: {}) { fd in self.serve(fd) }
                done.store(true, ordering: .releasing)
            }
        }

        func serve(_ fd: Int32) {
            guard let request = try? AgentFrame.receive(on: fd) else { return }
            let n = requests.withLock { $0.append(request); return $0.count }
            try? AgentFrame.send(.object([("ask", .string("mfa")), ("prompt", .string("MFA code \(n): "))]), on: fd)
            if let answer = try? AgentFrame.receive(on: fd) { answers.withLock { $0.append(answer) } }
            let credentials = Credentials(signing: SigningCredentials(accessKeyId: "ASIAFROMAGENT\(n)", secretAccessKey: "s\(n)", sessionToken: "t\(n)"),
                                          expiration: 1_900_000_000, provenance: Provenance(provider: .process, rule: "held by the agent", fromCache: true))
            try? AgentFrame.send(.object([("credentials", AgentWire.encode(CredentialChain.Resolution(credentials: credentials, attempts: [])))]), on: fd)
        }

        func stop() {
            listener.stop()
            while !done.load(ordering: .acquiring) { usleep(10_000) }
        }
    }

    @Test func everyFetchAsksTheAgentRefreshesNeverPromptAndAGoneAgentMeansAlone() throws {
        let home = FakeHome()
        home.writeCredentials("[p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
        let socket = "/tmp/served-agent-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/agent.sock"
        let agent = try ScriptedAgent(socket: socket)
        agent.start()
        var variables = home.environment.variables
        variables[AgentSocketPath.variable] = socket
        let session = try AWSSession(settings: SessionSettings(profile: "p", askAgent: true), environment: Environment(variables),
                                     transport: FakeAWS(), time: home.clock)
        let asked = Mutex<[String]>([])
        let fetch = try ServedCredentialsSource.profile(session) { prompt in
            asked.withLock { $0.append(prompt) }
            return Array("123456".utf8)
        }
        // The first fetch: the agent's question is asked of the user.
        #expect(try fetch().signing.accessKeyId == "ASIAFROMAGENT1")
        // A refresh: the agent asks again; the client, whose terminal is the child's, asks nobody and answers none.
        #expect(try fetch().signing.accessKeyId == "ASIAFROMAGENT2")
        #expect(asked.withLock { $0 } == ["MFA code 1: "])
        #expect(agent.answers.withLock { $0 } == [.object([("answer", .string(Base64.encode(Array("123456".utf8))))]),
                                                  .object([("answer", .null)])])
        let requests = agent.requests.withLock { $0 }
        #expect(requests.count == 2 && requests.allSatisfy { $0["op"]?.stringValue == "credentials" && $0["profile"]?.stringValue == "p" })
        // The agent gone: resolved alone, from the credentials file.
        agent.stop()
        #expect(try fetch().signing.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
        // --no-cache asks for fresh credentials: never the agent.
        let fresh = try AWSSession(settings: SessionSettings(profile: "p", noCache: true, askAgent: true), environment: Environment(variables),
                                   transport: FakeAWS(), time: home.clock)
        let restarted = try ScriptedAgent(socket: socket)
        restarted.start()
        defer { restarted.stop(); rmdir((socket as NSString).deletingLastPathComponent) }
        #expect(try ServedCredentialsSource.profile(fresh)().signing.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
        #expect(restarted.requests.withLock { $0 }.isEmpty)
    }
}
