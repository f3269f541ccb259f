import AWSClients
import AWSCore

/// How `keys audit --org` shows an organisation: for people, each account's line with its
/// findings under it and a summary; `text`, one tab-separated finding a line with its account;
/// JSON, the accounts, findings and keys; CSV, one row per key (see `AuditReportCSV`).
public enum OrganizationReport {
    public static func audit(_ report: OrganizationAuditReport, now: Int) -> Report {
        let findingColumns = [Report.Column("AccountId", "Account"), Report.Column("AccountName", "Name"), Report.Column("UserName", "User"),
                              Report.Column("AccessKeyId", "Key id"), Report.Column("Finding", "Finding"), Report.Column("Detail", "Detail")]
        let findingRows: [[ReportValue]] = report.accounts.flatMap { a in
            a.findings.map { [.text(a.account.id), .text(a.account.name), .text($0.user), .text($0.keyId), .text($0.kind.rawValue), .text($0.detail)] }
        }
        let keyRows: [[ReportValue]] = report.accounts.flatMap { a in
            a.records.map { [.text(a.account.id)] + KeysReport.keyRow($0, now: now) }
        }
        let csvRows = AuditReportCSV.rows(report, now: now).map { $0.map(ReportValue.text) }
        return Report(parts: [
            (name: nil, section: .group(nil, report.accounts.map(accountGroup)), visibility: .only(.table)),
            (name: nil, section: .lines([summary(report)]), visibility: .only(.table)),
            (name: nil, section: .table(findingColumns.filter { $0.name != "AccountName" },
                                        findingRows.map { row in row.enumerated().filter { $0.offset != 1 }.map(\.element) }),
             visibility: .only(.text)),
            (name: "Accounts", section: .table(accountColumns, report.accounts.map(accountRow)), visibility: .only(.json)),
            (name: "Findings", section: .table(findingColumns, findingRows), visibility: .only(.json)),
            (name: "Keys", section: .table([Report.Column("AccountId", "Account")] + KeysReport.keyColumns, keyRows), visibility: .only(.json)),
            (name: nil, section: .record([ReportField("UsersChecked", "", .number(report.usersChecked))]), visibility: .only(.json)),
            (name: nil, section: .table(AuditReportCSV.columns.map { Report.Column($0, $0) }, csvRows), visibility: .only(.csv)),
        ], foundProblems: report.findingCount > 0 || report.count(.incomplete) > 0 || report.count(.failed) > 0)
    }

    static let accountColumns = [
        Report.Column("AccountId", "Account"), Report.Column("Name", "Name"), Report.Column("Status", "Status"), Report.Column("Error", "Error"),
        Report.Column("EnteredAs", "Entered as"), Report.Column("Method", "Method"), Report.Column("MethodNote", "Note"),
        Report.Column("ReportGenerated", "Report generated"), Report.Column("UsersChecked", "Users"), Report.Column("Keys", "Keys"),
        Report.Column("Findings", "Findings"),
    ]

    static func accountRow(_ a: AccountAuditResult) -> [ReportValue] {
        [.text(a.account.id), .text(a.account.name), .text(a.status.rawValue), a.error.map(ReportValue.text) ?? .null,
         a.enteredAs.map(ReportValue.text) ?? .null, a.method.map { .text($0.rawValue) } ?? .null,
         a.fallbackReason.map { .text("credential report not used: \($0)") } ?? .null,
         a.reportGenerated.map(ReportValue.date) ?? .null, .number(a.usersChecked), .number(a.records.count), .number(a.findings.count)]
    }

    /// `111122223333 prod: 12 users, 20 keys via credential report, 3 findings` and what is under it.
    static func accountGroup(_ a: AccountAuditResult) -> Report.Section {
        let name = a.account.name.isEmpty ? "" : " \(a.account.name)"
        switch a.status {
        case .skipped, .failed:
            return .group("\(a.account.id)\(name): \(a.status == .skipped ? "skipped" : "FAILED"): \(a.error ?? "")", [])
        case .audited, .incomplete:
            let via = a.method == .credentialReport ? "credential report" : "per-user calls"
            let found = a.findings.isEmpty ? "no findings" : "\(a.findings.count) finding\(a.findings.count == 1 ? "" : "s")"
            var notes: [String] = []
            if let reason = a.fallbackReason { notes.append("credential report not used: \(reason)") }
            if a.status == .incomplete, let error = a.error { notes.append("INCOMPLETE: \(error)") }
            var under: [Report.Section] = notes.isEmpty ? [] : [.lines(notes)]
            if !a.findings.isEmpty {
                under.append(.table([Report.Column("UserName", "User"), Report.Column("AccessKeyId", "Key id"),
                                     Report.Column("Finding", "Finding"), Report.Column("Detail", "Detail")],
                                    a.findings.map { [.text($0.user), .text($0.keyId), .text($0.kind.rawValue), .text($0.detail)] }))
            }
            return .group("\(a.account.id)\(name): \(a.usersChecked) users, \(a.records.count) keys via \(via), \(found)", under)
        }
    }

    /// `44 accounts: 41 audited, 2 failed, 1 skipped (not active); 404 users and 812 keys checked; 120 findings`
    static func summary(_ report: OrganizationAuditReport) -> String {
        let incomplete = report.count(.incomplete)
        var s = "\(report.accounts.count) accounts: \(report.count(.audited)) audited"
        if incomplete > 0 { s += ", \(incomplete) incomplete" }
        s += ", \(report.count(.failed)) failed, \(report.count(.skipped)) skipped (not active); "
        s += "\(report.usersChecked) users and \(report.keyCount) keys checked; "
        return s + "\(report.findingCount) finding\(report.findingCount == 1 ? "" : "s")"
    }
}

/// `keys audit --org` run with a session's credentials: every client is made from the caller's,
/// so all accounts share one retry quota and, in adaptive mode, one rate limiter per service.
public struct OrganizationKeyAudit: Sendable {
    public let session: AWSSession

    public init(session: AWSSession) { self.session = session }

    /// The report; when no account could be audited it comes inside a `ReportedFailure` (exit 4).
    public func run(_ options: OrganizationAuditOptions,
                    progress: @escaping @Sendable (OrganizationAuditProgress) -> Void) throws -> Report {
        let now = session.now()
        let audit = OrganizationAudit(client: try session.client(), organizations: try session.endpoint(.organizations),
                                      sts: try session.endpoint(.sts), iam: try session.endpoint(.iam))
        let result = try audit.run(options, now: now, progress: progress)
        let report = OrganizationReport.audit(result, now: now)
        if !result.accounts.contains(where: \.wasAudited) {
            throw ReportedFailure(report: report, error: .notFound("no account could be audited"))
        }
        return report
    }
}
