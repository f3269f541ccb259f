import AWSClients
import AWSCore

/// How the `keys` commands show keys, audit findings, a validation verdict and an inspection.
public enum KeysReport {
    static let keyColumns = [Report.Column("UserName", "User"), Report.Column("AccessKeyId", "Key id"), Report.Column("Status", "Status"),
                             Report.Column("CreateDate", "Created"), Report.Column("AgeDays", "Age"),
                             Report.Column("LastUsedDate", "Last used"), Report.Column("LastUsedService", "Service"),
                             Report.Column("LastUsedRegion", "Region")]

    static func keyRow(_ r: AccessKeyRecord, now: Int) -> [ReportValue] {
        [.text(r.user), .text(r.key.id), .text(r.key.status.rawValue), .date(r.key.created), r.ageDays(now: now).map { .days($0) } ?? .null,
         .date(r.lastUse.date), .text(r.lastUse.service), .text(r.lastUse.region)]
    }

    public static func list(_ records: [AccessKeyRecord], now: Int) -> Report {
        .table(keyColumns, records.map { keyRow($0, now: now) })
    }

    public static func audit(_ records: [AccessKeyRecord], findings: [AccessKeyFinding], usersChecked: Int, now: Int) -> Report {
        let summary = findings.isEmpty
            ? ["ok: \(records.count) key\(records.count == 1 ? "" : "s") of \(usersChecked) user\(usersChecked == 1 ? "" : "s") checked, no findings"] : []
        return Report(parts: [
            (name: "Findings", section: .table([Report.Column("UserName", "User"), Report.Column("AccessKeyId", "Key id"),
                                                Report.Column("Finding", "Finding"), Report.Column("Detail", "Detail")],
                                               findings.map { [.text($0.user), .text($0.keyId), .text($0.kind.rawValue), .text($0.detail)] }),
             visibility: findings.isEmpty ? .dataOnly : .everywhere),
            (name: "Summary", section: .lines(summary), visibility: .peopleOnly),
            (name: "Keys", section: .table(keyColumns, records.map { keyRow($0, now: now) }), visibility: .dataOnly),
            (name: nil, section: .record([ReportField("UsersChecked", "", .number(usersChecked))]), visibility: .dataOnly),
        ], foundProblems: !findings.isEmpty)
    }

    public static func validation(_ v: KeyValidation.Verdict) -> Report {
        Report(parts: [
            (name: nil, section: .record([
                ReportField("Result", "", .text(v.status.rawValue)), ReportField("AccessKeyId", "", .text(v.keyId)),
                ReportField("Reason", "", .text(v.reason)),
                ReportField("Checks", "", .list(v.checks.map { .record([ReportField("Check", "", .text($0.name)), ReportField("Passed", "", .flag($0.passed)),
                                                                        ReportField("Detail", "", .text($0.detail))]) })),
            ]), visibility: .dataOnly),
            (name: nil, section: .lines(["\(v.status == .pass ? "ok" : "FAIL"): \(v.reason)"]), visibility: .peopleOnly),
        ], foundProblems: v.status != .pass)
    }

    public static func inspection(_ i: KeyIdInspection) -> Report {
        .record([ReportField("Id", "Id", .text(i.id)), ReportField("Prefix", "Prefix", .text(i.prefix)), ReportField("Kind", "Kind", .text(i.kind)),
                 ReportField("Account", "Account", .text(i.account), display: i.account ?? "not encoded (an id from before about 2019)")])
    }
}

/// `keys list` and `keys audit`: whose keys, read with their last use.
public struct KeyListing: Sendable {
    public let session: AWSSession

    public init(session: AWSSession) { self.session = session }

    /// `--user`, else the caller's own IAM user.
    public func user(_ flag: String?) throws(AWSError) -> String {
        if let flag { return flag }
        let identity = try session.sts().getCallerIdentity()
        guard let user = IdentityARN.userName(identity.arn) else {
            throw .configuration(ConfigurationError("these credentials are not an IAM user's (\(identity.arn)); give --user NAME"))
        }
        return user
    }

    public func list(user: String?) throws(AWSError) -> Report {
        let name = try self.user(user)
        return KeysReport.list(try AccessKeyAudit(iam: try session.iam()).records(users: [name]), now: session.now())
    }

    /// `progress` is told the running counts (users listed, then their keys and last uses read).
    public func audit(user: String?, allUsers: Bool, limits: AuditLimits,
                      progress: @escaping @Sendable (String) -> Void = { _ in }) throws(AWSError) -> Report {
        let iam = try session.iam()
        let listed = ProgressCount("listed", "users", report: progress)
        let users = allUsers ? try iam.listUsers(onPage: listed.set).map(\.name) : [try self.user(user)]
        let records = try AccessKeyAudit(iam: iam).records(users: users, progress: progress)
        let now = session.now()
        let findings = AccessKeyAudit.findings(records, limits: limits, now: now)
        return KeysReport.audit(records, findings: findings, usersChecked: users.count, now: now)
    }
}
