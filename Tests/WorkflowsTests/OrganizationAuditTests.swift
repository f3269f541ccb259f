import Testing
@testable import AWSClients
@testable import Workflows
import AWSCore
import SigV4

struct CredentialReportTests {
    /// As IAM writes it (the AWS documentation's example, shortened to two users).
    static let report = """
        user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
        <root_account>,arn:aws:iam::123456789012:root,2014-06-18T18:56:29+00:00,not_supported,2024-01-03T17:07:01+00:00,not_supported,not_supported,true,true,2015-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        alice,arn:aws:iam::123456789012:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-02T00:00:00+00:00,N/A,false,true,2024-02-03T04:05:06+00:00,2024-05-01T10:00:00+00:00,eu-west-1,s3,false,2023-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A
        bob,arn:aws:iam::123456789012:user/bob,2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A

        """

    @Test func readsKeySlotsAndLeavesOutTheRootAccount() throws {
        let r = try #require(CredentialReport.parse(Self.report, generated: 7))
        #expect(r.generated == 7)
        #expect(r.users.map(\.user) == ["alice", "bob"])
        let alice = r.users[0]
        #expect(alice.keys.count == 2)
        #expect(alice.keys[0] == CredentialReportUser.KeySlot(
            active: true, lastRotated: Timestamp.parse("2024-02-03T04:05:06Z")!,
            lastUsed: AccessKeyLastUse(date: Timestamp.parse("2024-05-01T10:00:00Z"), service: "s3", region: "eu-west-1")))
        #expect(alice.keys[1].active == false && alice.keys[1].lastUsed == AccessKeyLastUse(date: nil, service: nil, region: nil))
        #expect(r.users[1].keys.isEmpty)
    }

    @Test func aFieldItCannotReadMakesTheWholeReportUnreadable() {
        // Each row is alice's with one field spoiled; the report is never read as "no key" or "never used".
        let lines = Self.report.split(separator: "\n").map(String.init)
        let header = lines[0], alice = lines[2]
        func spoiled(_ column: String, _ value: String) -> String {
            let names = header.split(separator: ",").map(String.init)
            var fields = alice.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[names.firstIndex(of: column)!] = value
            return header + "\n" + fields.joined(separator: ",") + "\n"
        }
        let cases: [(String, String)] = [
            (spoiled("access_key_1_last_rotated", "yesterday"), "row 2: access_key_1_last_rotated is not a date"),
            (spoiled("access_key_1_last_rotated", "N/A"), "row 2: access_key_1_last_rotated is not a date"),
            (spoiled("access_key_1_active", "maybe"), "row 2: access_key_1_active is not true or false"),
            (spoiled("access_key_1_last_used_date", "2024-99-99T00:00:00+00:00"), "row 2: access_key_1_last_used_date is not a date"),
            (spoiled("access_key_2_last_rotated", "\u{1b}[2J"), "row 2: access_key_2_last_rotated is not a date"),
            (header + "\n" + alice + ",extra\n", "row 2 has 23 fields, the header 22"),
            (header + "\nalice,arn\n", "row 2 has 2 fields, the header 22"),
        ]
        for (csv, why) in cases {
            #expect(CredentialReport.read(csv).failure == CredentialReport.Unreadable(description: why), "\(why)")
            #expect(CredentialReport.parse(csv) == nil)
        }
        // The report's words for "none" are not problems: an inactive slot never rotated, a key never used.
        #expect(CredentialReport.parse(spoiled("access_key_1_last_used_date", "no_information"))?.users[0].keys[0].lastUsed.date == nil)
    }

    @Test func refusesWhatIsNotACredentialReport() {
        #expect(CredentialReport.parse("user,arn\nalice,arn:x\n") == nil)
        #expect(CredentialReport.parse("") == nil)
    }
}

struct OrganizationAuditSelectionTests {
    let listed = [OrganizationAccount(id: "111111111111", name: "a", status: "ACTIVE"),
                  OrganizationAccount(id: "222222222222", name: "b", status: "SUSPENDED"),
                  OrganizationAccount(id: "333333333333", name: "c", status: "PENDING_CLOSURE")]

    @Test func everyAccountInOrderInactiveOnesSkipped() {
        let chosen = OrganizationAudit.select(listed, ids: nil)
        #expect(chosen.map(\.account.id) == ["111111111111", "222222222222", "333333333333"])
        #expect(chosen.map(\.status) == [.audited, .skipped, .skipped])
        #expect(chosen[1].error == "account is SUSPENDED" && chosen[2].error == "account is PENDING_CLOSURE")
    }

    @Test func chosenIdsInTheirOrderUnknownOnesFailed() {
        let chosen = OrganizationAudit.select(listed, ids: ["444444444444", "111111111111"])
        #expect(chosen.map(\.account.id) == ["444444444444", "111111111111"])
        #expect(chosen.map(\.status) == [.failed, .audited])
        #expect(chosen[0].error == "not an account of this organisation (ListAccounts does not list it)")
    }
}

struct OrganizationAuditOutputTests {
    @Test func progressLineWithRateAndETA() {
        var p = OrganizationAuditProgress(accountsDone: 3, accountsTotal: 40, usersChecked: 0, usersTotal: nil, elapsed: 0.4)
        #expect(p.line == "accounts 3/40 · users 0 · 0 users/s")
        p.usersChecked = 100
        p.usersTotal = 400
        p.elapsed = 2
        #expect(p.etaSeconds == 6)
        #expect(p.line == "accounts 3/40 · users 100/400 · 50 users/s · ETA 6 s")
    }

    @Test func csvHasOneRowPerKeyAndOnePerAccountNotAudited() {
        let now = 1_800_000_000
        let key = AccessKeyMetadata(id: "AKIAEXAMPLE1", userName: "=alice", status: .active, created: now - 100 * 86_400)
        let record = AccessKeyRecord(user: "=alice", key: key, lastUse: AccessKeyLastUse(date: nil, service: nil, region: nil))
        var audited = AccountAuditResult(account: OrganizationAccount(id: "111111111111", name: "prod, eu", status: "ACTIVE"), status: .audited)
        audited.records = [record]
        audited.findings = AccessKeyAudit.findings([record], limits: AuditLimits(maxAge: 90 * 86_400, unused: 30 * 86_400), now: now)
        let failed = AccountAuditResult(account: OrganizationAccount(id: "222222222222", name: "dev", status: "ACTIVE"), status: .failed,
                                        error: "sts:AssumeRole: AccessDenied: no")
        // What `--output csv` prints: the report's CSV-only sheet.
        let csv = OrganizationReport.audit(OrganizationAuditReport(accounts: [audited, failed], callerAccount: "111111111111"), now: now).render(.csv)
        let rows = CSV.parse(csv)
        #expect(rows.count == 3)
        #expect(rows[0] == AuditReportCSV.columns)
        #expect(rows[1] == ["111111111111", "prod, eu", "Audited", "'=alice", "AKIAEXAMPLE1", "Active", Timestamp.format(now - 100 * 86_400),
                            "100", "", "", "", "too-old;unused",
                            "100 days old (limit 90); never used in the 100 days since it was created (limit 30)"])
        #expect(rows[2] == ["222222222222", "dev", "Failed", "", "", "", "", "", "", "", "", "", "sts:AssumeRole: AccessDenied: no"])
    }
}

struct AdaptiveModeWiringTests {
    @Test func everyClientOfARunSharesOneLimiterPerService() throws {
        let transport = CurlTransport()
        let adaptive = AWSClient(core: ClientCore(transport: transport, retryPolicy: RetryPolicy(mode: .adaptive)), keys: nil)
        let limiters = try #require(adaptive.core.rateLimiters)
        let keys = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x", sessionToken: nil)
        #expect(adaptive.signing(with: keys).core.rateLimiters === limiters)
        #expect(ClientCore(transport: transport, retryPolicy: RetryPolicy()).rateLimiters == nil)
        #expect(ClientCore(transport: transport, retryPolicy: RetryPolicy(mode: .legacy)).rateLimiters == nil)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { return f } else { return nil } }
}
