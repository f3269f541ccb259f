import Testing
@testable import AWSClients
@testable import Workflows
import AWSCore

struct KeyLifecycleTests {
    @Test func keyIdInspection() {
        // Published example (Aidan Steele, Tal Be'ery): this key id encodes account 609629065308.
        let temp = KeyIdInspection("ASIAY34FZKBOKMUTVV7A")
        #expect(temp.account == "609629065308" && temp.prefix == "ASIA" && temp.problem == nil)
        // Ids from before the encoding (fifth character I or J) carry no account.
        #expect(KeyIdInspection("AKIAIOSFODNN7EXAMPLE").account == nil)
        #expect(KeyIdInspection("AIDAJQABLZS4A3QDU576Q").kind == "IAM user")
        #expect(KeyIdInspection("akia").problem != nil)
        #expect(KeyIdInspection("XXXXQNZGKIQY56JQ7WML").problem == "prefix XXXX is not one IAM uses (AKIA, ASIA, AIDA, AROA, …)")
    }

    @Test func userNameFromARN() {
        #expect(IdentityARN.userName("arn:aws:iam::123456789012:user/alice") == "alice")
        #expect(IdentityARN.userName("arn:aws:iam::123456789012:user/division/team/bob") == "bob")
        #expect(IdentityARN.userName("arn:aws:sts::123456789012:assumed-role/r/s") == nil)
        #expect(IdentityARN.userName("arn:aws:iam::123456789012:root") == nil)
    }

    @Test func auditFindings() {
        let now = 1_800_000_000
        func record(_ id: String, _ status: AccessKeyMetadata.Status, ageDays: Int, usedDaysAgo: Int?) -> AccessKeyRecord {
            AccessKeyRecord(user: "u", key: AccessKeyMetadata(id: id, userName: "u", status: status, created: now - ageDays * 86_400),
                            lastUse: AccessKeyLastUse(date: usedDaysAgo.map { now - $0 * 86_400 }, service: nil, region: nil))
        }
        let records = [record("OLD", .active, ageDays: 91, usedDaysAgo: 1), record("FRESH", .active, ageDays: 90, usedDaysAgo: 30),
                       record("IDLE", .active, ageDays: 40, usedDaysAgo: 31), record("NEVER", .active, ageDays: 31, usedDaysAgo: nil),
                       record("OFF", .inactive, ageDays: 500, usedDaysAgo: nil)]
        let findings = AccessKeyAudit.findings(records, limits: AuditLimits(maxAge: 90 * 86_400, unused: 30 * 86_400), now: now)
        #expect(findings.map { "\($0.keyId) \($0.kind.rawValue)" } == ["OLD too-old", "IDLE unused", "NEVER unused"])
    }

    @Test func formBodiesMatchBotocore() {
        // Python: urllib.parse.urlencode({"A": "x y*~/é", "B": "${aws:username}"})
        #expect(QueryProtocol.formEncode([("A", "x y*~/é"), ("B", "${aws:username}")]) == "A=x+y%2A~%2F%C3%A9&B=%24%7Baws%3Ausername%7D")
    }

    @Test func journalRoundTrip() throws {
        var secret = DestinationRecord(destination: "secretsmanager:app/key", state: .written)
        secret.secretVersionBefore = "v1"
        secret.secretVersionWritten = "v2"
        var path = DestinationRecord(destination: "ssm:/app", state: .writing)
        path.parameterVersionsBefore = [3, 4]
        let j = RotationJournal(account: "123456789012", user: "u", credentialsFile: "/h/.aws/credentials", requested: ["profile:a", "exec:x"],
                                verifies: true,
                                destinations: [DestinationRecord(destination: "profile:a", state: .written), secret, path,
                                               DestinationRecord(destination: "exec:x")],
                                oldKeyId: "AKIAOLD", keysBefore: ["AKIAOLD"], newKeyId: "AKIANEW", keepOldInactive: true,
                                step: .written, started: 1_800_000_000)
        #expect(RotationJournal(json: try JSONValue.parse(j.json.serialized())) == j)
        #expect(!j.json.serialized().contains("Secret\":") && j.profiles == ["a"])
        #expect(RotationJournal.Step.created < .written && .verified < .deactivated)
    }

    /// A journal written by a credctl from before destinations (version 1) still reads, as profiles.
    @Test func versionOneJournalReadsAsProfiles() throws {
        let v1 = #"{"Version":1,"Account":"123456789012","User":"u","CredentialsFile":"/h/c","Profiles":["a","b"],"OldKeyId":"AKIAOLD","KeysBefore":["AKIAOLD"],"NewKeyId":"AKIANEW","KeepOldInactive":false,"Step":"created","Started":"2026-01-01T00:00:00Z"}"#
        let j = try #require(RotationJournal(json: try JSONValue.parse(v1)))
        #expect(j.destinations == [DestinationRecord(destination: "profile:a", state: .writing), DestinationRecord(destination: "profile:b", state: .writing)])
        #expect(j.requested.isEmpty && !j.verifies && j.newKeyId == "AKIANEW")
    }

    @Test func everyTemplateNeedsWhatItSaysItNeeds() throws {
        var p = PolicyParameters()
        #expect(throws: ConfigurationError.self) { try PolicyTemplate.ssmPathRead.document(p) }
        p.path = "/APP/STAGING/"
        let doc = try PolicyTemplate.ssmPathRead.document(p)
        #expect(doc["Statement"]?.arrayValue?.first?["Resource"]?.arrayValue?.compactMap(\.stringValue)
                == ["arn:aws:ssm:*:*:parameter/APP/STAGING", "arn:aws:ssm:*:*:parameter/APP/STAGING/*"])
        #expect(PolicyTemplate.allCases.filter(\.isTrustPolicy) == [.crossAccountTrust, .irsaTrust])
    }
}
