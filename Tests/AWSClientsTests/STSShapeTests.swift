@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

struct STSShapeTests {
    func sts(_ client: AWSClient) -> STSClient { STSClient(client: client, endpoint: Fixture.sts) }
    static let ns = "https://sts.amazonaws.com/doc/2011-06-15/"

    static let assumed = """
        <SourceIdentity>DevUser123</SourceIdentity>
        <AssumedRoleUser>
          <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
          <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
        </AssumedRoleUser>
        <Credentials>
          <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
          <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
          <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==</SessionToken>
          <Expiration>2019-11-09T13:34:41Z</Expiration>
        </Credentials>
        <PackedPolicySize>6</PackedPolicySize>
        """

    @Test func getCallerIdentity() throws {
        let (identity, r) = try exchange(QueryAnswer.ok("GetCallerIdentity", """
            <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
            <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
            <Account>123456789012</Account>
            """, namespace: Self.ns)) { c throws(AWSError) in try sts(c).getCallerIdentity() }
        expectQuery(r, "GetCallerIdentity", version: "2011-06-15", [], safety: .idempotent, service: "sts")
        #expect(identity == CallerIdentity(account: "123456789012", arn: "arn:aws:iam::123456789012:user/Alice", userId: "AKIAI44QH8DHBEXAMPLE"))
        let raw = sts(Fixture.client(ScriptedTransport())).getCallerIdentityRequest
        #expect(RecordedRequest(raw).formPairs.map(\.value) == ["GetCallerIdentity", "2011-06-15"] && raw.safety == .idempotent)
    }

    @Test func assumeRole() throws {
        let request = AssumeRoleRequest(roleArn: "arn:aws:iam::123456789012:role/demo", sessionName: "John", externalId: "ext-1",
                                        durationSeconds: 1800, mfaSerial: "arn:aws:iam::123456789012:mfa/john", mfaCode: "123456")
        let (role, r) = try exchange(QueryAnswer.ok("AssumeRole", Self.assumed, namespace: Self.ns)) { c throws(AWSError) in try sts(c).assumeRole(request) }
        expectQuery(r, "AssumeRole", version: "2011-06-15", [("RoleArn", "arn:aws:iam::123456789012:role/demo"), ("RoleSessionName", "John"),
                                                            ("ExternalId", "ext-1"), ("DurationSeconds", "1800"),
                                                            ("SerialNumber", "arn:aws:iam::123456789012:mfa/john"), ("TokenCode", "123456")],
                    safety: .idempotent, service: "sts")
        #expect(role.credentials.accessKeyId == "ASIAIOSFODNN7EXAMPLE")
        #expect(role.credentials.sessionToken?.hasSuffix("CCR/oLxBA==") == true)
        #expect(role.expiration == Timestamp.parse("2019-11-09T13:34:41Z"))
        #expect(role.assumedRoleArn == "arn:aws:sts::123456789012:assumed-role/demo/John")
    }

    @Test func assumeRoleWithWebIdentityIsUnsigned() throws {
        let transport = ScriptedTransport([.response(QueryAnswer.ok("AssumeRoleWithWebIdentity", Self.assumed, namespace: Self.ns))])
        let unsigned = AWSClient(core: Fixture.core(transport), keys: nil)
        let role = try sts(unsigned).assumeRoleWithWebIdentity(roleArn: "arn:aws:iam::123456789012:role/demo", sessionName: "s", token: "eyJ.token", durationSeconds: 900)
        let r = transport.requests[0]
        #expect(r.header("Authorization") == nil)
        #expect(r.formPairs.map { "\($0.name)=\($0.value)" } == ["Action=AssumeRoleWithWebIdentity", "Version=2011-06-15",
                                                                 "RoleArn=arn:aws:iam::123456789012:role/demo", "RoleSessionName=s",
                                                                 "WebIdentityToken=eyJ.token", "DurationSeconds=900"])
        #expect(r.safety == .idempotent)
        #expect(role.credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY")
    }

    /// STS's model requires every member of `Credentials` and of `AssumedRoleUser`.
    @Test func answersMissingWhatIsRequiredAreUnreadable() {
        let role = AssumeRoleRequest(roleArn: "arn:aws:iam::123456789012:role/demo", sessionName: "John")
        for removed in [#/<SessionToken>[^<]*</SessionToken>/#, #/<Expiration>[^<]*</Expiration>/#, #/<AssumedRoleUser>[\s\S]*</AssumedRoleUser>/#] {
            let body = Self.assumed.replacing(removed, with: "")
            expectInvalidResponse(failure(QueryAnswer.ok("AssumeRole", body, namespace: Self.ns)) { c throws(AWSError) in try sts(c).assumeRole(role) },
                                  "sts:AssumeRole")
        }
        let badDate = Self.assumed.replacing("2019-11-09T13:34:41Z", with: "tomorrow")
        expectInvalidResponse(failure(QueryAnswer.ok("AssumeRole", badDate, namespace: Self.ns)) { c throws(AWSError) in try sts(c).assumeRole(role) },
                              "sts:AssumeRole")
        expectInvalidResponse(failure(QueryAnswer.ok("GetCallerIdentity", "<Arn>arn:aws:iam::1:user/a</Arn>", namespace: Self.ns)) { c throws(AWSError) in
            try sts(c).getCallerIdentity()
        }, "sts:GetCallerIdentity")
        expectInvalidResponse(failure(HTTPResponse(status: 200, body: Array("not xml".utf8))) { c throws(AWSError) in try sts(c).getCallerIdentity() },
                              "sts:GetCallerIdentity")
    }

    @Test func safetyOfEveryOperation() {
        #expect(STSOperation.allCases.allSatisfy { $0.safety == .idempotent })
    }
}
