import ArgumentParser
import AWSClients
import AWSCore
import Synchronization
import Workflows

/// `keys audit --org` and its options (the rest of `keys audit` is in KeysCommand.swift).
struct OrgAuditOptions: ParsableArguments {
    @Flag(name: .customLong("org"), help: "Every account of the AWS Organization (run with the management account's credentials).")
    var org = false

    @Option(name: .customLong("role-name"), help: "With --org: the role assumed in each account (default OrganizationAccountAccessRole).")
    var roleName: String?

    @Option(name: .customLong("accounts"), help: "With --org: only these account ids, comma-separated.")
    var accounts: String?

    @Option(help: "With --org: calls in flight at once, across accounts and users (1-64, default 8).")
    var concurrency: Int?

    @Option(name: .customLong("external-id"), help: "With --org: the external id the roles' trust policies require.")
    var externalId: String?

    @Option(name: .customLong("session-name"), help: "With --org: the role session name (default credctl-org-audit).")
    var sessionName: String?

    var accountIds: [String]? {
        accounts.map { $0.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } }
    }

    func validate() throws {
        if !org {
            let given = [("--role-name", roleName), ("--accounts", accounts), ("--concurrency", concurrency.map(String.init)),
                         ("--external-id", externalId), ("--session-name", sessionName)].filter { $0.1 != nil }.map(\.0)
            if let first = given.first { throw ValidationError("\(first) applies only with --org") }
            return
        }
        if let concurrency, !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be from 1 to 64") }
        if let ids = accountIds {
            if ids.isEmpty { throw ValidationError("--accounts needs at least one account id") }
            if let bad = ids.first(where: { $0.count != 12 || !$0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) {
                throw ValidationError("'\(bad)' is not an account id (12 digits)")
            }
        }
        if let roleName, let problem = Self.roleNameProblem(roleName) { throw ValidationError(problem) }
        if let externalId, let problem = STSParameterRules.externalIdProblem(externalId) { throw ValidationError(problem) }
        if let sessionName, let problem = STSParameterRules.sessionNameProblem(sessionName) { throw ValidationError(problem) }
    }

    /// IAM's rule for role names (1-64 of letters, digits and `+=,.@_-`), with an optional path before them.
    static func roleNameProblem(_ name: String) -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard let last = parts.last, IAMNameRules.isName(last), parts.allSatisfy({ $0.utf8.allSatisfy(IAMNameRules.isNameByte) }),
              name.utf8.count <= 512,
              parts.dropLast().allSatisfy({ !$0.isEmpty }) || parts.count == 1 else {
            return "--role-name '\(name)' is not a role name (1-64 letters, digits and +=,.@_-, optionally after a path)"
        }
        return nil
    }

    func workflowOptions(limits: AuditLimits) -> OrganizationAuditOptions {
        OrganizationAuditOptions(roleName: roleName ?? OrganizationAuditOptions.defaultRoleName, externalId: externalId,
                                 sessionName: sessionName ?? OrganizationAuditOptions.defaultSessionName,
                                 accountIds: accountIds, concurrency: concurrency ?? 8, limits: limits)
    }

    /// Runs the audit and prints it; exit 1 on any finding, 4 when no account could be audited.
    func run(global: GlobalOptions, limits: AuditLimits) throws {
        let options = workflowOptions(limits: limits)
        try Run.session(global) { session in
            let progress = ProgressLine(quiet: global.quiet)
            defer { progress.finish() }
            let lastShown = Mutex(0.0)
            return .report(try OrganizationKeyAudit(session: session).run(options) { p in
                // At most ten updates a second, and the last one.
                let show = lastShown.withLock { last -> Bool in
                    guard p.elapsed - last >= 0.1 || p.accountsDone == p.accountsTotal else { return false }
                    last = p.elapsed
                    return true
                }
                if show { progress.update(p.line) }
            })
        }
    }
}
