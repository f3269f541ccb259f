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
        let allowed = Set("+=,.@_-".utf8)
        func ok(_ s: Substring) -> Bool {
            s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || allowed.contains($0) }
        }
        guard let last = parts.last, (1...64).contains(last.count), parts.allSatisfy(ok), name.utf8.count <= 512,
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
        let progress = ProgressLine(quiet: global.quiet)
        var report: OrganizationAuditReport!
        let now = WallClock.now()
        try reportingErrors {
            defer { progress.finish() }
            let session = try global.session()
            let endpoints = (org: try session.endpoint(.organizations), sts: try session.endpoint(.sts), iam: try session.endpoint(.iam))
            let client = session.client(credentials: try session.resolveCredentials().credentials)
            let audit = OrganizationAudit(client: client, organizations: endpoints.org, sts: endpoints.sts, iam: endpoints.iam)
            let lastShown = Mutex(0.0)
            report = try audit.run(workflowOptions(limits: limits), now: now) { p in
                // At most ten updates a second, and the last one.
                let show = lastShown.withLock { last -> Bool in
                    guard p.elapsed - last >= 0.1 || p.accountsDone == p.accountsTotal else { return false }
                    last = p.elapsed
                    return true
                }
                if show { progress.update(p.line) }
            }
        }
        StandardStream.output.write(OrgAuditOutput(report: report, now: now).render(global.output))
        if report.accounts.contains(where: \.wasAudited) == false {
            StandardStream.error.write("credctl: error: no account could be audited\n")
            throw ExitCode(ExitStatus.serviceRefused.rawValue)
        }
        if report.findingCount > 0 { throw ExitCode(ExitStatus.checkFailed.rawValue) }
    }
}

/// The audit in each output format: a table grouped by account with a summary, JSON, CSV,
/// or tab-separated findings (`text`).
struct OrgAuditOutput {
    let report: OrganizationAuditReport
    let now: Int

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return json.serialized(pretty: true) + "\n"
        case .csv: return AuditReportCSV.render(report, now: now)
        case .text:
            return RowsOutput(columns: [], rows: report.accounts.flatMap { a in
                a.findings.map { [a.account.id, $0.user, $0.keyId, $0.kind.rawValue, $0.detail] }
            }, json: .null).render(.text)
        case .table: return table
        }
    }

    var json: JSONValue {
        .object([
            ("Accounts", .array(report.accounts.map { a in
                .object([("AccountId", .string(a.account.id)), ("Name", .string(a.account.name)), ("Status", .string(a.status.rawValue)),
                         ("Error", .optional(a.error)), ("EnteredAs", .optional(a.enteredAs)), ("Method", .optional(a.method?.rawValue)),
                         ("MethodNote", .optional(a.fallbackReason.map { "credential report not used: \($0)" })),
                         ("ReportGenerated", .optional(a.reportGenerated.map(Timestamp.format))),
                         ("UsersChecked", .number(a.usersChecked)), ("Keys", .number(a.records.count)), ("Findings", .number(a.findings.count))])
            })),
            ("Findings", .array(report.accounts.flatMap { a in
                a.findings.map { f in
                    .object([("AccountId", .string(a.account.id)), ("AccountName", .string(a.account.name)), ("UserName", .string(f.user)),
                             ("AccessKeyId", .string(f.keyId)), ("Finding", .string(f.kind.rawValue)), ("Detail", .string(f.detail))])
                }
            })),
            ("Keys", .array(report.accounts.flatMap { a in
                a.records.map { r in
                    guard case .object(let members) = keyJSON(r, now: now) else { return .null }
                    return .object([("AccountId", .string(a.account.id))] + members)
                }
            })),
            ("UsersChecked", .number(report.usersChecked)),
        ])
    }

    var table: String {
        var out = ""
        for a in report.accounts {
            let name = a.account.name.isEmpty ? "" : " \(RowsOutput.oneLine(a.account.name))"
            switch a.status {
            case .skipped, .failed:
                out += "\(a.account.id)\(name): \(a.status == .skipped ? "skipped" : "FAILED"): \(a.error ?? "")\n"
                continue
            case .audited, .incomplete:
                let via = a.method == .credentialReport ? "credential report" : "per-user calls"
                out += "\(a.account.id)\(name): \(a.usersChecked) users, \(a.records.count) keys via \(via), "
                out += a.findings.isEmpty ? "no findings\n" : "\(a.findings.count) finding\(a.findings.count == 1 ? "" : "s")\n"
            }
            if let reason = a.fallbackReason { out += "  credential report not used: \(reason)\n" }
            if a.status == .incomplete, let error = a.error { out += "  INCOMPLETE: \(error)\n" }
            if !a.findings.isEmpty {
                let rows = RowsOutput(columns: ["USER", "KEY ID", "FINDING", "DETAIL"],
                                      rows: a.findings.map { [$0.user, $0.keyId, $0.kind.rawValue, $0.detail] }, json: .null).render(.table)
                out += rows.split(separator: "\n").map { "  \($0)\n" }.joined()
            }
        }
        let audited = report.count(.audited), incomplete = report.count(.incomplete)
        let failed = report.count(.failed), skipped = report.count(.skipped)
        out += "\n\(report.accounts.count) accounts: \(audited) audited"
        if incomplete > 0 { out += ", \(incomplete) incomplete" }
        out += ", \(failed) failed, \(skipped) skipped (not active); \(report.usersChecked) users and \(report.keyCount) keys checked; "
        out += "\(report.findingCount) finding\(report.findingCount == 1 ? "" : "s")\n"
        return out
    }
}
