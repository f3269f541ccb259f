import AWSClients
import AWSCore

/// `keys audit --org --output csv`: one row per key (its findings joined by `;`), and one row
/// per account that was not audited, so that a spreadsheet misses nothing.
public enum AuditReportCSV {
    public static let columns = [
        "AccountId", "AccountName", "AccountStatus", "UserName", "AccessKeyId", "KeyStatus", "CreateDate", "AgeDays",
        "LastUsedDate", "LastUsedService", "LastUsedRegion", "Findings", "Detail",
    ]

    public static func rows(_ report: OrganizationAuditReport, now: Int) -> [[String]] {
        var out: [[String]] = []
        for a in report.accounts {
            let account = [a.account.id, a.account.name, a.status.rawValue]
            if !a.wasAudited {
                out.append(account + Array(repeating: "", count: 9) + [a.error ?? ""])
                continue
            }
            for r in a.records {
                let findings = a.findings.filter { $0.keyId == r.key.id && $0.user == r.user }
                out.append(account + [
                    r.user, r.key.id, r.key.status.rawValue, r.key.created.map(Timestamp.format) ?? "",
                    r.ageDays(now: now).map(String.init) ?? "", r.lastUse.date.map(Timestamp.format) ?? "",
                    r.lastUse.service ?? "", r.lastUse.region ?? "",
                    findings.map(\.kind.rawValue).joined(separator: ";"), findings.map(\.detail).joined(separator: "; "),
                ])
            }
            if a.status == .incomplete {
                out.append(account + Array(repeating: "", count: 9) + [a.error ?? ""])
            }
        }
        return out
    }
}
