import AWSCore

/// One user's line of the IAM credential report, as far as access keys go.
public struct CredentialReportUser: Sendable, Equatable {
    /// The report's two access-key slots (`access_key_1_…`, `access_key_2_…`).
    public struct KeySlot: Sendable, Equatable {
        public var active: Bool
        /// When the key was created (`last_rotated`), seconds since 1970.
        public var lastRotated: Int
        public var lastUsed: AccessKeyLastUse
    }

    public var user: String
    public var arn: String
    /// Slots that hold a key (a slot with no key has no `last_rotated`).
    public var keys: [KeySlot]
}

/// The report: generated at most every 4 hours by IAM, so it may be that old.
public struct CredentialReport: Sendable, Equatable {
    public var users: [CredentialReportUser]
    /// Seconds since 1970.
    public var generated: Int?

    /// Reads the CSV; the `<root_account>` line is left out (the root user is no IAM user:
    /// `ListUsers` does not list it either). Nil when the header lacks the key columns.
    public static func parse(_ csv: String, generated: Int? = nil) -> CredentialReport? {
        let rows = CSV.parse(csv)
        guard let header = rows.first else { return nil }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let userColumn = column("user"), let arnColumn = column("arn") else { return nil }
        struct SlotColumns { var active, rotated: Int; var used, region, service: Int? }
        var slots: [SlotColumns] = []
        for n in 1...2 {
            guard let active = column("access_key_\(n)_active"), let rotated = column("access_key_\(n)_last_rotated") else { return nil }
            slots.append(SlotColumns(active: active, rotated: rotated, used: column("access_key_\(n)_last_used_date"),
                                     region: column("access_key_\(n)_last_used_region"), service: column("access_key_\(n)_last_used_service")))
        }
        var users: [CredentialReportUser] = []
        for row in rows.dropFirst() where row.count == header.count {
            if row[userColumn] == "<root_account>" { continue }
            let keys = slots.compactMap { s -> CredentialReportUser.KeySlot? in
                guard let rotated = Timestamp.parse(row[s.rotated]) else { return nil }
                func value(_ c: Int?) -> String? { c.map { row[$0] }.flatMap(known) }
                return CredentialReportUser.KeySlot(
                    active: row[s.active] == "true", lastRotated: rotated,
                    lastUsed: AccessKeyLastUse(date: value(s.used).flatMap(Timestamp.parse), service: value(s.service), region: value(s.region)))
            }
            users.append(CredentialReportUser(user: row[userColumn], arn: row[arnColumn], keys: keys))
        }
        return CredentialReport(users: users, generated: generated)
    }

    /// The report's words for "nothing here".
    static func known(_ s: String) -> String? {
        ["", "N/A", "not_supported", "no_information"].contains(s) ? nil : s
    }
}

extension IAMClient {
    /// `STARTED`, `INPROGRESS` or `COMPLETE` (a report less than 4 hours old exists).
    public func generateCredentialReport() throws(AWSError) -> String {
        let result = try query.call(IAMOperation.generateCredentialReport)
        guard let state = result["State"] else {
            throw .invalidResponse(operation: "iam:GenerateCredentialReport", detail: "State missing")
        }
        return state
    }

    /// The report (base64 CSV on the wire). Throws `ReportInProgress` while it is being made,
    /// `ReportNotPresent` before it was asked for, `ReportExpired` when it is over 4 hours old.
    public func getCredentialReport() throws(AWSError) -> CredentialReport {
        let result = try query.call(IAMOperation.getCredentialReport)
        guard let content = result["Content"], let bytes = Base64.decode(content.filter { !$0.isWhitespace }) else {
            throw .invalidResponse(operation: "iam:GetCredentialReport", detail: "Content missing or not base64")
        }
        guard let report = CredentialReport.parse(String(decoding: bytes, as: UTF8.self),
                                                  generated: result["GeneratedTime"].flatMap(Timestamp.parse)) else {
            throw .invalidResponse(operation: "iam:GetCredentialReport", detail: "not a credential report (no access key columns)")
        }
        return report
    }
}
