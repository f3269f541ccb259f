import AWSClients
import AWSConfig
import AWSCore
import Foundation
import Testing
import TransportTesting
@testable import Workflows

/// `credctl setup user` on a fake IAM, signed as an admin whose key is in `[default]`.
struct UserSetupTests {
    let fake = FakeAWS()
    let home = FakeHome()
    let adminFile: String

    static let writes: Set<String> = ["CreateUser", "DeleteUser", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey", "PutUserPolicy",
                                      "DeleteUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
                                      "AttachUserPolicy", "DetachUserPolicy"]

    init() {
        let admin = fake.iam.addKey(user: "admin")
        adminFile = profile("default", fake.iam.key(admin.accessKeyId)!)
        home.writeCredentials(adminFile)
    }

    func setup(managed: Bool = false, path: String = "/APP/STAGING", lines: ReportLines = ReportLines()) -> Result<UserSetup.Report, Error> {
        var parameters = PolicyParameters()
        parameters.path = path
        let options = UserSetup.Options(user: "grafana", template: .ssmPathRead, parameters: parameters, profileName: "grafana",
                                        managed: managed, dryRun: false)
        return Result { try UserSetup(session: try home.session(fake), options: options, report: lines.sink).run() }
    }

    var policyArn: String { "arn:aws:iam::\(fake.iam.account):policy/credctl-ssm-path-read-grafana" }

    /// The request count of every write, to show that a rerun made none.
    var writeCount: Int { fake.requests.filter { Self.writes.contains($0.operation ?? "") }.count }

    func stopped(_ result: Result<UserSetup.Report, Error>, sourceLocation: SourceLocation = #_sourceLocation) -> OperationStopped? {
        guard case .failure(let error) = result, let stop = error as? OperationStopped else {
            Issue.record("expected OperationStopped, got \(result)", sourceLocation: sourceLocation)
            return nil
        }
        return stop
    }

    @Test(arguments: [false, true])
    func setsUpAUserAndARerunChangesNothing(_ managed: Bool) throws {
        let report = try setup(managed: managed).get()
        let user = try #require(fake.iam.user("grafana"))
        let key = try #require(user.keys.first)
        #expect(user.keys.count == 1 && report.keyId == key.id)
        if managed {
            #expect(user.attached == [policyArn] && user.inlinePolicies.isEmpty)
            #expect(fake.iam.policy(policyArn)?.versions.count == 1)
        } else {
            #expect(user.inlinePolicies.keys.sorted() == ["credctl-ssm-path-read"] && user.attached.isEmpty)
            #expect(try JSONValue.parse(user.inlinePolicies["credctl-ssm-path-read"]!) == report.policy)
        }
        #expect(home.credentials == adminFile + "\n" + profile("grafana", key))
        #expect(home.mode(home.credentialsPath) == 0o600)
        #expect(fake.requests("CreateAccessKey").map(\.safety) == [.notIdempotent])

        let writesBefore = fake.requests.count
        let lines = ReportLines()
        let again = try setup(managed: managed, lines: lines).get()
        // A rerun writes nothing, except that --managed attaches its policy again, which IAM takes as a no-op.
        let rerunWrites = fake.requests.dropFirst(writesBefore).filter { Self.writes.contains($0.operation ?? "") }
        #expect(rerunWrites.map { "\($0.operation ?? "") \($0.form["PolicyArn"] ?? "")" } == (managed ? ["AttachUserPolicy \(policyArn)"] : []))
        #expect(fake.iam.user("grafana")?.attached == (managed ? [policyArn] : []))
        #expect(again.keyId == key.id && fake.iam.keys(of: "grafana") == [key])
        #expect(lines.contains("IAM user grafana exists: reused"))
        #expect(lines.contains(managed ? "managed policy credctl-ssm-path-read-grafana is already in place" : "inline policy credctl-ssm-path-read is already in place"))
        #expect(lines.contains("profile [grafana] already holds \(key.id) of grafana: kept"))
        #expect(home.credentials == adminFile + "\n" + profile("grafana", key))
    }

    @Test func aChangedTemplateGivesTheManagedPolicyANewDefaultVersion() throws {
        _ = try setup(managed: true).get()
        let lines = ReportLines()
        _ = try setup(managed: true, path: "/APP/PROD", lines: lines).get()
        let policy = try #require(fake.iam.policy(policyArn))
        #expect(policy.versions.map(\.id) == ["v1", "v2"] && policy.defaultVersionId == "v2")
        #expect(policy.versions[1].document.contains("/APP/PROD"))
        #expect(lines.contains("gave managed policy credctl-ssm-path-read-grafana a new default version"))
    }

    /// The key cannot be stored (the profile appeared meanwhile): everything the run made is removed.
    @Test(arguments: [false, true])
    func aRunThatCannotStoreTheKeyRemovesWhatItCreated(_ managed: Bool) throws {
        fake.after("CreateAccessKey", once: true) { [home] _ in
            home.writeCredentials((home.credentials ?? "") + "[grafana]\nregion = eu-west-1\n")
        }
        let stop = try #require(stopped(setup(managed: managed)))
        let keyId = try #require(fake.requests("DeleteAccessKey").first?.form["AccessKeyId"])
        #expect(stop.error.description.contains("profile [grafana] appeared in \(home.credentialsPath) meanwhile"))
        let removed = managed ? "key \(keyId), the attachment, policy credctl-ssm-path-read-grafana, user grafana" : "key \(keyId), the inline policy, user grafana"
        #expect(stop.left == "removed what this run created (\(removed)); nothing is left over")
        #expect(fake.iam.user("grafana") == nil && fake.iam.policyArns.isEmpty)
        #expect(home.credentials == adminFile + "[grafana]\nregion = eu-west-1\n", "the file holds no key of grafana")
    }

    @Test func whatCannotBeRemovedIsSaidToBeLeft() throws {
        fake.after("CreateAccessKey", once: true) { [home] _ in
            home.writeCredentials((home.credentials ?? "") + "[grafana]\n")
        }
        fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "DeleteUser")
        let stop = try #require(stopped(setup()))
        #expect(stop.left.hasSuffix("; left over, remove by hand or run setup again: IAM user grafana"))
        #expect(stop.left.hasPrefix("removed what this run created (key "))
        #expect(fake.iam.user("grafana").map { $0.keys.isEmpty && $0.inlinePolicies.isEmpty } == true)
    }

    @Test func aFailureBeforeAnyChangeSaysNothingWasCreated() throws {
        fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "GetUser")
        let stop = try #require(stopped(setup()))
        #expect(stop.error.isService(.accessDenied) && stop.left == "nothing was created or changed")
        #expect(writeCount == 0 && home.credentials == adminFile)
    }

    @Test func lostCreateUserAndCreatePolicyAnswersAreFoundByLookingNeverResent() throws {
        fake.inject(.loseAnswer(.reset), into: "CreateUser")
        fake.inject(.loseAnswer(.http500), into: "CreatePolicy")
        fake.inject(.loseAnswer(.timeout), into: "CreateAccessKey")
        let report = try setup(managed: true).get()
        #expect(fake.requests("CreateUser").count == 1 && fake.requests("CreatePolicy").count == 1)
        #expect(fake.requests("CreateAccessKey").count == 2, "the lost key is deleted, then one more is made")
        let keys = fake.iam.keys(of: "grafana")
        #expect(keys.count == 1 && report.keyId == keys[0].id)
        #expect(home.credentials == adminFile + "\n" + profile("grafana", keys[0]))
        #expect(fake.iam.user("grafana")?.attached == [policyArn])
    }

    @Test func aProfileHoldingAKeyOfSomeoneElseIsRefusedBeforeAnyChange() throws {
        fake.iam.addUser("grafana")
        let stranger = fake.iam.addKey(user: "someone")
        home.writeCredentials(adminFile + profile("grafana", fake.iam.key(stranger.accessKeyId)!))
        let stop = try #require(stopped(setup()))
        #expect(stop.error.description.contains("holds \(stranger.accessKeyId), which is not a key of grafana"))
        #expect(stop.left == "nothing was created or changed" && writeCount == 0)
    }
}
