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

    /// Why a report cannot be used: a field credctl cannot read is never taken as "no key" or
    /// "never used", which an audit would pass.
    public struct Unreadable: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the CSV; the `<root_account>` line is left out (the root user is no IAM user:
    /// `ListUsers` does not list it either). Nil when it cannot be read (`read` says why).
    public static func parse(_ csv: String, generated: Int? = nil) -> CredentialReport? {
        try? read(csv, generated: generated).get()
    }

    /// The report, or why it cannot be read: no key columns, a row of another width, a key slot
    /// whose `active` is not `true`/`false`, an active or rotated key without a readable
    /// `last_rotated`, a last-used date that is neither a date nor one of the report's words for none.
    public static func read(_ csv: String, generated: Int? = nil) -> Result<CredentialReport, Unreadable> {
        let rows = CSV.parse(csv)
        func unreadable(_ why: String) -> Result<CredentialReport, Unreadable> { .failure(Unreadable(description: why)) }
        guard let header = rows.first else { return unreadable("empty") }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let userColumn = column("user"), let arnColumn = column("arn") else { return unreadable("no user and arn columns") }
        struct SlotColumns { var active, rotated: Int; var used, region, service: Int? }
        var slots: [SlotColumns] = []
        for n in 1...2 {
            guard let active = column("access_key_\(n)_active"), let rotated = column("access_key_\(n)_last_rotated") else {
                return unreadable("not a credential report (no access key columns)")
            }
            slots.append(SlotColumns(active: active, rotated: rotated, used: column("access_key_\(n)_last_used_date"),
                                     region: column("access_key_\(n)_last_used_region"), service: column("access_key_\(n)_last_used_service")))
        }
        var users: [CredentialReportUser] = []
        for (index, row) in rows.enumerated().dropFirst() {
            let line = "row \(index + 1)"
            guard row.count == header.count else { return unreadable("\(line) has \(row.count) fields, the header \(header.count)") }
            if row[userColumn] == "<root_account>" { continue }
            var keys: [CredentialReportUser.KeySlot] = []
            for (n, s) in slots.enumerated() {
                let field = "access_key_\(n + 1)"
                guard row[s.active] == "true" || row[s.active] == "false" else { return unreadable("\(line): \(field)_active is not true or false") }
                let active = row[s.active] == "true"
                guard let rotated = Timestamp.parse(row[s.rotated]) else {
                    // No key in this slot: never rotated and not active.
                    if !active, known(row[s.rotated]) == nil { continue }
                    return unreadable("\(line): \(field)_last_rotated is not a date")
                }
                func value(_ c: Int?) -> String? { c.map { row[$0] }.flatMap(known) }
                let used = value(s.used)
                if let used, Timestamp.parse(used) == nil { return unreadable("\(line): \(field)_last_used_date is not a date") }
                keys.append(CredentialReportUser.KeySlot(
                    active: active, lastRotated: rotated,
                    lastUsed: AccessKeyLastUse(date: used.flatMap(Timestamp.parse), service: value(s.service), region: value(s.region))))
            }
            users.append(CredentialReportUser(user: row[userColumn], arn: row[arnColumn], keys: keys))
        }
        return .success(CredentialReport(users: users, generated: generated))
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
        let report: CredentialReport
        switch CredentialReport.read(String(decoding: bytes, as: UTF8.self), generated: result["GeneratedTime"].flatMap(Timestamp.parse)) {
        case .success(let r): report = r
        case .failure(let problem): throw .invalidResponse(operation: "iam:GetCredentialReport", detail: "\(problem)")
        }
        return report
    }
}

extension CredentialReport.Unreadable: ReportableError {
    /// An answer that cannot be read.
    public var exitStatus: ExitStatus { .serviceRefused }
}
