import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import Glibc
import SigV4
import Synchronization
import Testing
import Vault
@testable import Workflows

/// The agent's memory on a hand-moved clock: the idle limit and `--unlock-for` forget on time,
/// `lock` forgets at once, and requests are answered over a socket pair.
@Suite struct AgentServiceTests {
    final class Clock: Sendable {
        let t = Atomic<Int>(1_000_000)
        func now() -> Int { t.load(ordering: .relaxed) }
        func advance(_ s: Int) { t.add(s, ordering: .relaxed) }
    }

    func service(_ clock: Clock, unlockFor: Int? = nil) throws -> (AgentService, String) {
        let folder = "/tmp/agent-unit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try AgentListener(socket: try #require(AgentSocketPath.resolve(Environment(["CREDCTL_AGENT_SOCKET": folder + "/agent.sock"]))))
        return (AgentService(listener: listener, options: .init(idleLimit: 3600, unlockFor: unlockFor), now: { clock.now() }), folder)
    }

    func hold(_ agent: AgentService, expiring: Int, key: String) throws {
        try CredentialCache(held: agent.held).store(
            CredentialCache.Entry(credentials: SigningCredentials(accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t"), expiration: expiring), key: key)
    }

    func ask(_ agent: AgentService, _ op: String) throws -> JSONValue {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        try AgentFrame.send(.object([("op", .string(op))]), on: fds[0])
        agent.serve(fds[1], container: nil)
        return try AgentFrame.receive(on: fds[0])
    }

    func cleanUp(_ folder: String) {
        unlink(folder + "/agent.sock")
        rmdir(folder)
    }

    @Test func theIdleLimitForgetsEverythingOnceThenARequestStartsAgain() throws {
        let clock = Clock()
        let (agent, folder) = try service(clock)
        defer { cleanUp(folder) }
        try hold(agent, expiring: clock.now() + 7200, key: "a")
        clock.advance(3599)
        agent.tick(nil)
        #expect(agent.held.expirations.count == 1)
        clock.advance(1)
        agent.tick(nil)
        #expect(agent.held.expirations.isEmpty)
        // A request resets the idle clock.
        #expect(try ask(agent, "status")["sessions_held"]?.intValue == 0)
        try hold(agent, expiring: clock.now() + 7200, key: "b")
        clock.advance(3599)
        agent.tick(nil)
        #expect(agent.held.expirations.count == 1)
    }

    @Test func expiredSessionsGoAtTheirExpiry() throws {
        let clock = Clock()
        let (agent, folder) = try service(clock)
        defer { cleanUp(folder) }
        try hold(agent, expiring: clock.now() + 100, key: "soon")
        try hold(agent, expiring: clock.now() + 1000, key: "later")
        clock.advance(100)
        agent.tick(nil)
        #expect(agent.held.expirations == [clock.now() + 900])
    }

    @Test func unlockedEntriesAreHeldOnlyForUnlockFor() throws {
        let clock = Clock()
        let (agent, folder) = try service(clock, unlockFor: 600)
        defer { cleanUp(folder) }
        agent.entries.hold(VaultEntryFixture.entry, key: "v", now: clock.now())
        clock.advance(600)
        agent.tick(nil)
        #expect(agent.entries.count == 1)
        clock.advance(1)
        agent.tick(nil)
        #expect(agent.entries.count == 0)
    }

    @Test func lockForgetsAtOnceAndSaysHowMuch() throws {
        let clock = Clock()
        let (agent, folder) = try service(clock, unlockFor: 600)
        defer { cleanUp(folder) }
        try hold(agent, expiring: clock.now() + 7200, key: "a")
        agent.entries.hold(VaultEntryFixture.entry, key: "v", now: clock.now())
        let status = try ask(agent, "status")
        #expect(status["sessions_held"]?.intValue == 1 && status["vault_entries_held"]?.intValue == 1 && status["unlock_for_seconds"]?.intValue == 600)
        #expect(!status.serialized().contains("ASIA1"))
        #expect(try ask(agent, "lock")["forgotten"]?.intValue == 2)
        #expect(agent.held.expirations.isEmpty && agent.entries.count == 0)
        #expect(try ask(agent, "nonsense")["error"]?["kind"]?.stringValue == "configuration")
    }
}

enum VaultEntryFixture {
    static let entry = VaultEntry(profile: "p", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", added: 0)
}
