@testable import AWSClients
import AWSCore
import SigV4
import Testing
import TransportTesting

/// The fakes the workflow tests stand on behave as the services do where those tests rely on
/// it: signatures checked, the two-key limit, unknown and inactive keys refused, pagination,
/// and faults that take effect or not as injected.
struct FakeAWSTests {
    let fake = FakeAWS()

    func iam(_ keys: SigningCredentials) -> IAMClient {
        IAMClient(client: AWSClient(core: Fixture.core(fake), keys: FixedSigningKeys(keys)), endpoint: Fixture.iam)
    }

    func sts(_ keys: SigningCredentials) -> STSClient {
        STSClient(client: AWSClient(core: Fixture.core(fake), keys: FixedSigningKeys(keys)), endpoint: Fixture.sts)
    }

    @Test func stsNamesTheUserWhoseKeySignedAndRefusesOthers() throws {
        let alice = fake.iam.addKey(user: "alice")
        #expect(try sts(alice).getCallerIdentity().arn == "arn:aws:iam::123456789012:user/alice")
        let wrongSecret = SigningCredentials(accessKeyId: alice.accessKeyId, secretAccessKey: "not-the-secret")
        #expect(thrown { () throws(AWSError) in try sts(wrongSecret).getCallerIdentity() }?.serviceCode == "SignatureDoesNotMatch")
        let unknown = SigningCredentials(accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x")
        #expect(thrown { () throws(AWSError) in try sts(unknown).getCallerIdentity() }?.serviceCode == "InvalidClientTokenId")
        fake.iam.setStatus(ofKey: alice.accessKeyId, "Inactive")
        #expect(thrown { () throws(AWSError) in try sts(alice).getCallerIdentity() }?.serviceCode == "InvalidClientTokenId")
    }

    @Test func aNewKeyCanBeRefusedByStsUntilItPropagates() throws {
        let alice = fake.iam.addKey(user: "alice")
        fake.iam.refuseNewKeysInSTS(calls: 2)
        let made = try iam(alice).createAccessKey()
        for _ in 1...2 { #expect(thrown { () throws(AWSError) in try sts(made.credentials).getCallerIdentity() }?.isService(.invalidClientTokenId) == true) }
        #expect(try sts(made.credentials).getCallerIdentity().arn.hasSuffix("user/alice"))
        #expect(try iam(made.credentials).listAccessKeys().count == 2, "IAM itself knows the key at once")
    }

    @Test func aUserHasAtMostTwoKeys() throws {
        let alice = fake.iam.addKey(user: "alice")
        _ = try iam(alice).createAccessKey()
        #expect(thrown { () throws(AWSError) in try iam(alice).createAccessKey() }?.isService(.limitExceeded) == true)
        #expect(fake.iam.keys(of: "alice").count == 2)
    }

    @Test func listsArePagedWithMarkers() throws {
        let admin = fake.iam.addKey(user: "admin")
        for name in ["b", "c", "d", "e"] { fake.iam.addUser(name) }
        fake.iam.setPageSize(2)
        #expect(try iam(admin).listUsers().map(\.name) == ["admin", "b", "c", "d", "e"])
        #expect(fake.requests("ListUsers").count == 3)
        #expect(fake.requests("ListUsers").map { $0.form["Marker"] } == [nil, "marker-2", "marker-4"])
    }

    @Test func faultsTakeEffectOrNotAsInjected() throws {
        let alice = fake.iam.addKey(user: "alice")
        fake.inject(.before(.reset), into: "CreateAccessKey")
        fake.inject(.loseAnswer(.http500), into: "CreateAccessKey")
        #expect(thrown { () throws(AWSError) in try iam(alice).createAccessKey() }?.transportKind == .connectionReset)
        #expect(fake.iam.keys(of: "alice").count == 1, "failed before taking effect")
        #expect(thrown { () throws(AWSError) in try iam(alice).createAccessKey() }?.serviceCode == "ServiceFailure")
        #expect(fake.iam.keys(of: "alice").count == 2, "took effect, answer lost")
        #expect(fake.pendingFaults.isEmpty)

        fake.inject(.garbage, into: "ListAccessKeys")
        #expect(thrown { () throws(AWSError) in try iam(alice).listAccessKeys() }?.isInvalidResponse == true)
        fake.inject(.throttle, into: "ListAccessKeys", times: 2)
        #expect(try iam(alice).listAccessKeys().count == 2)
        #expect(fake.requests("ListAccessKeys").count == 4, "one garbled, two throttled, one answered")
    }

    @Test func hooksRunBeforeAndAfterAndOnceWhenAsked() throws {
        let alice = fake.iam.addKey(user: "alice")
        let calls = Calls()
        fake.before("GetCallerIdentity") { call in calls.count("before \(call.signingKeyId ?? "")") }
        fake.after("GetCallerIdentity", once: true) { _ in calls.count("after") }
        for _ in 1...2 { _ = try sts(alice).getCallerIdentity() }
        #expect(calls["before \(alice.accessKeyId)"] == 2 && calls["after"] == 1)
    }

    @Test func parameterStoreKeepsVersionsAndRefusesAnOverwriteItWasNotAskedFor() throws {
        let ci = fake.iam.addKey(user: "ci")
        let ssm = SSMClient(client: AWSClient(core: Fixture.core(fake), keys: FixedSigningKeys(ci)), endpoint: Fixture.ssm)
        #expect(try ssm.putParameter(PutParameterRequest(name: "/a/b", value: "1")) == 1)
        #expect(thrown { () throws(AWSError) in try ssm.putParameter(PutParameterRequest(name: "/a/b", value: "2")) }?.isService(.parameterAlreadyExists) == true)
        #expect(try ssm.putParameter(PutParameterRequest(name: "/a/b", value: "2", overwrite: true)) == 2)
        #expect(try ssm.getParameter("/a/b:1").value == "1")
        #expect(try ssm.getParameter("/a/b", decrypt: false).value != "2", "a SecureString read without decryption is not its value")
        #expect(try ssm.parameterHistory("/a/b", decrypt: true).map(\.value) == ["1", "2"])
        #expect(thrown { () throws(AWSError) in try ssm.getParameter("/a/none") }?.isService(.parameterNotFound) == true)
    }
}
