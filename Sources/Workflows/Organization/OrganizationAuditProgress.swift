import AWSCore
import Synchronization

/// Where an organisation audit stands, for a progress line.
public struct OrganizationAuditProgress: Sendable, Equatable {
    public var accountsDone: Int
    public var accountsTotal: Int
    public var usersChecked: Int
    /// Known once every account has been entered and its users listed.
    public var usersTotal: Int?
    public var elapsed: Double

    public var usersPerSecond: Double { elapsed > 0 ? Double(usersChecked) / elapsed : 0 }

    /// Seconds left at the rate so far; nil until the number of users is known and some were read.
    public var etaSeconds: Double? {
        guard let total = usersTotal, usersChecked > 0, usersPerSecond > 0 else { return nil }
        return Double(total - usersChecked) / usersPerSecond
    }

    /// `accounts 12/40 · users 130/400 · 85 users/s · ETA 3 s`
    public var line: String {
        var s = "accounts \(accountsDone)/\(accountsTotal) · users \(usersChecked)"
        if let usersTotal { s += "/\(usersTotal)" }
        s += " · \(Int(usersPerSecond.rounded())) users/s"
        if let eta = etaSeconds { s += " · ETA \(Int(eta.rounded(.up))) s" }
        return s
    }
}

/// Counts what the audit's threads finish and reports each change.
final class ProgressTracker: Sendable {
    private struct Counts {
        var accountsDone = 0
        var entered = 0
        var usersChecked = 0
        var usersFound = 0
        var allEntered = false
    }

    private let accounts: Int
    private let started = MonotonicClock.now()
    private let counts = Mutex(Counts())
    private let report: @Sendable (OrganizationAuditProgress) -> Void

    init(accounts: Int, report: @escaping @Sendable (OrganizationAuditProgress) -> Void) {
        self.accounts = accounts
        self.report = report
    }

    /// An account entered with `users` users (0 when it failed: then it is done).
    func accountEntered(users: Int) {
        update { c in
            c.entered += 1
            c.usersFound += users
            if users == 0 { c.accountsDone += 1 }
        }
    }

    func allAccountsEntered() { update { $0.allEntered = true } }

    func userChecked(accountDone: Bool) {
        update { c in
            c.usersChecked += 1
            if accountDone { c.accountsDone += 1 }
        }
    }

    private func update(_ change: (inout Counts) -> Void) {
        let snapshot = counts.withLock { c -> OrganizationAuditProgress in
            change(&c)
            return OrganizationAuditProgress(accountsDone: c.accountsDone, accountsTotal: accounts, usersChecked: c.usersChecked,
                                             usersTotal: c.allEntered ? c.usersFound : nil, elapsed: MonotonicClock.now() - started)
        }
        report(snapshot)
    }
}
