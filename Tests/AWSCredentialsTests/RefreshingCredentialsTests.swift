import Synchronization
import Testing
import AWSCore
import SigV4
@testable import AWSCredentials

/// `RefreshingCredentials` on a clock the test moves.
struct RefreshingCredentialsTests {
    final class Source: Sendable {
        let now = Mutex(1_000_000)
        let resolutions = Mutex(0)
        /// Each resolution lasts this long.
        let lifetime: Int?

        init(lifetime: Int?) { self.lifetime = lifetime }

        func resolve() -> CredentialChain.Resolution {
            let n = resolutions.withLock { $0 += 1; return $0 }
            let t = now.withLock { $0 }
            let c = Credentials(signing: SigningCredentials(accessKeyId: "ASIA\(n)", secretAccessKey: "s"),
                                expiration: lifetime.map { t + $0 }, provenance: Provenance(provider: .process))
            return CredentialChain.Resolution(credentials: c, attempts: [])
        }

        func advance(_ seconds: Int) { now.withLock { $0 += seconds } }

        var refreshing: RefreshingCredentials {
            RefreshingCredentials(now: { [self] in now.withLock { $0 } }) { [self] () throws(AWSError) in resolve() }
        }
    }

    @Test func resolvesOnceThenAgainInsideTheWindow() throws {
        let source = Source(lifetime: 3600)
        let r = source.refreshing
        #expect(try r.signingCredentials().accessKeyId == "ASIA1")
        source.advance(3600 - 15 * 60 - 1)   // 15 min + 1 s left: still good
        #expect(try r.signingCredentials().accessKeyId == "ASIA1")
        source.advance(2)                     // inside the 15-minute window
        #expect(try r.signingCredentials().accessKeyId == "ASIA2")
        #expect(source.resolutions.withLock { $0 } == 2)
    }

    @Test func longTermKeysAreNeverResolvedAgain() throws {
        let source = Source(lifetime: nil)
        let r = source.refreshing
        _ = try r.signingCredentials()
        source.advance(365 * 86_400)
        _ = try r.signingCredentials()
        #expect(source.resolutions.withLock { $0 } == 1)
    }

    /// A source whose credentials are always inside the window (a 10-minute role) is asked at
    /// most once a minute, but expired credentials are never used.
    @Test func shortLivedCredentialsAreAskedAtMostOnceAMinute() throws {
        let source = Source(lifetime: 10 * 60)
        let r = source.refreshing
        _ = try r.signingCredentials()
        source.advance(30)
        #expect(try r.signingCredentials().accessKeyId == "ASIA1")
        source.advance(30)
        #expect(try r.signingCredentials().accessKeyId == "ASIA2")
        source.advance(10 * 60)               // expired: resolved again whatever the interval
        #expect(try r.signingCredentials().accessKeyId == "ASIA3")
    }
}
