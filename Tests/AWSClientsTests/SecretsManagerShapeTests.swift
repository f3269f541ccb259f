@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

struct SecretsManagerShapeTests {
    static let endpoint = Fixture.endpoint("secretsmanager.us-west-2.amazonaws.com", region: "us-west-2")
    static let arn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestSecret-a1b2c3"
    func sm(_ client: AWSClient) -> SecretsManagerClient { SecretsManagerClient(client: client, endpoint: Self.endpoint) }
    func answer(_ text: String) -> HTTPResponse { JSONAnswer.ok(try! JSONValue.parse(text)) }

    func expectSM(_ r: RecordedRequest, _ operation: SecretsManagerOperation, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectJSON(r, target: "secretsmanager.\(operation.name)", version: "1.1", body, safety: operation.safety, service: "secretsmanager",
                   sourceLocation: sourceLocation)
    }

    @Test func getSecretValue() throws {
        let (value, r) = try exchange(answer("""
            {"ARN":"\(Self.arn)","CreatedDate":1523477145.713,"Name":"MyTestSecret",
             "SecretString":"{\\"user\\":\\"diegor\\",\\"password\\":\\"EXAMPLE-PASSWORD\\"}",
             "VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSPREVIOUS"]}
            """)) { c throws(AWSError) in try sm(c).getSecretValue("MyTestSecret", versionStage: "AWSPREVIOUS") }
        expectSM(r, .getSecretValue, #"{"SecretId":"MyTestSecret","VersionStage":"AWSPREVIOUS"}"#)
        #expect(value == SecretValue(arn: Self.arn, name: "MyTestSecret", versionId: "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1", versionStages: ["AWSPREVIOUS"],
                                     secretString: #"{"user":"diegor","password":"EXAMPLE-PASSWORD"}"#, secretBinary: nil, created: 1523477145))
        let (binary, _) = try exchange(answer(#"{"ARN":"\#(Self.arn)","Name":"b","SecretBinary":"AAEC/w=="}"#)) { c throws(AWSError) in
            try sm(c).getSecretValue("b", versionId: "v1")
        }
        #expect(binary.secretBinary == [0, 1, 2, 255] && binary.secretString == nil)
    }

    @Test func createAndPut() throws {
        let create = CreateSecretRequest(name: "MyTestSecret", secretString: "s", description: "d", kmsKeyId: "alias/k",
                                         tags: [Tag(key: "a", value: "b")], clientRequestToken: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE")
        let (ref, r) = try exchange(answer(#"{"ARN":"\#(Self.arn)","Name":"MyTestSecret","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"}"#)) { c throws(AWSError) in
            try sm(c).createSecret(create)
        }
        expectSM(r, .createSecret, #"""
            {"Name":"MyTestSecret","SecretString":"s","ClientRequestToken":"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE","Description":"d",
             "KmsKeyId":"alias/k","Tags":[{"Key":"a","Value":"b"}]}
            """#)
        #expect(ref == SecretVersionRef(arn: Self.arn, name: "MyTestSecret", versionId: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"))

        let (put, p) = try exchange(answer(#"{"ARN":"\#(Self.arn)","Name":"MyTestSecret","VersionId":"v2","VersionStages":["AWSCURRENT"]}"#)) { c throws(AWSError) in
            try sm(c).putSecretValue("MyTestSecret", secretString: "new", clientRequestToken: "tok-1")
        }
        expectSM(p, .putSecretValue, #"{"SecretId":"MyTestSecret","SecretString":"new","ClientRequestToken":"tok-1"}"#)
        #expect(put.versionId == "v2")
    }

    @Test func describeAndList() throws {
        let (meta, r) = try exchange(answer("""
            {"ARN":"\(Self.arn)","Name":"MyTestSecret","Description":"My test secret","KmsKeyId":"arn:aws:kms:us-west-2:123456789012:key/EXAMPLE1",
             "RotationEnabled":true,"LastChangedDate":1523477145.729,"LastAccessedDate":1524572133.25,"CreatedDate":1523477145.713,
             "Tags":[{"Key":"SecondTag","Value":"AnotherValue"},{"Key":"FirstTag","Value":"SomeValue"}],
             "VersionIdsToStages":{"EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE":["AWSCURRENT"],"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE":["AWSPREVIOUS"]}}
            """)) { c throws(AWSError) in try sm(c).describeSecret("MyTestSecret") }
        expectSM(r, .describeSecret, #"{"SecretId":"MyTestSecret"}"#)
        #expect(meta.rotationEnabled && meta.created == 1523477145 && meta.lastAccessed == 1524572133)
        #expect(meta.tags == [Tag(key: "SecondTag", value: "AnotherValue"), Tag(key: "FirstTag", value: "SomeValue")])
        #expect(meta.versions.map(\.id) == ["EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE", "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE"])
        #expect(meta.versions.map(\.stages) == [["AWSPREVIOUS"], ["AWSCURRENT"]])

        let transport = ScriptedTransport([
            .response(answer(#"{"SecretList":[{"ARN":"\#(Self.arn)","Name":"app/a","SecretVersionsToStages":{"v1":["AWSCURRENT"]}}],"NextToken":"n1"}"#)),
            .response(answer(#"{"SecretList":[]}"#)),
        ])
        let all = try sm(Fixture.client(transport)).listAllSecrets(namePrefix: "app/")
        #expect(all.map(\.name) == ["app/a"] && all[0].versions.map(\.id) == ["v1"])
        expectSM(transport.requests[0], .listSecrets, #"{"MaxResults":100,"Filters":[{"Key":"name","Values":["app/"]}]}"#)
        expectSM(transport.requests[1], .listSecrets, #"{"MaxResults":100,"Filters":[{"Key":"name","Values":["app/"]}],"NextToken":"n1"}"#)
    }

    @Test func deleteAndTag() throws {
        let (deleted, r) = try exchange(answer(#"{"ARN":"\#(Self.arn)","Name":"MyTestSecret","DeletionDate":1524085349.095}"#)) { c throws(AWSError) in
            try sm(c).deleteSecret("MyTestSecret", recoveryWindowDays: 7, force: false)
        }
        expectSM(r, .deleteSecret, #"{"SecretId":"MyTestSecret","RecoveryWindowInDays":7}"#)
        #expect(deleted.deletionDate == 1524085349 && deleted.ref.name == "MyTestSecret")
        let (_, forced) = try exchange(answer(#"{"ARN":"\#(Self.arn)","Name":"MyTestSecret"}"#)) { c throws(AWSError) in
            try sm(c).deleteSecret("MyTestSecret", recoveryWindowDays: 7, force: true)
        }
        expectSM(forced, .deleteSecret, #"{"SecretId":"MyTestSecret","ForceDeleteWithoutRecovery":true}"#)
        let (_, tag) = try exchange(HTTPResponse(status: 200)) { c throws(AWSError) in try sm(c).tagResource("MyTestSecret", tags: [Tag(key: "k", value: "v")]) }
        expectSM(tag, .tagResource, #"{"SecretId":"MyTestSecret","Tags":[{"Key":"k","Value":"v"}]}"#)
    }

    /// Shell completion's listing: names and ARNs only, a `name` filter (none for an empty prefix).
    @Test func secretNames() throws {
        let (page, r) = try exchange(answer(#"{"SecretList":[{"ARN":"\#(Self.arn)","Name":"MyTestSecret"},{"Name":"NoArn"}],"NextToken":"t1"}"#)) {
            c throws(AWSError) in try sm(c).secretNames(beginningWith: "My", maxResults: 500, nextToken: "t0")
        }
        expectSM(r, .listSecrets, #"{"MaxResults":100,"Filters":[{"Key":"name","Values":["My"]}],"NextToken":"t0"}"#)
        #expect(page.items.map(\.name) == ["MyTestSecret", "NoArn"] && page.items.map(\.arn) == [Self.arn, ""] && page.nextToken == "t1")
        let (_, r2) = try exchange(answer(#"{"SecretList":[]}"#)) { c throws(AWSError) in try sm(c).secretNames(beginningWith: "", maxResults: 100) }
        expectSM(r2, .listSecrets, #"{"MaxResults":100}"#)
        expectInvalidResponse(failure(answer(#"{"SecretList":[{"ARN":"\#(Self.arn)"}]}"#)) { c throws(AWSError) in
            try sm(c).secretNames(beginningWith: "", maxResults: 100)
        }, "secretsmanager:ListSecrets")
    }

    @Test func answersMissingWhatIsNeededAreUnreadable() {
        expectInvalidResponse(failure(answer(#"{"Name":"n","SecretString":"s"}"#)) { c throws(AWSError) in try sm(c).getSecretValue("n") },
                              "secretsmanager:GetSecretValue")
        expectInvalidResponse(failure(answer(#"{"ARN":"\#(Self.arn)","Name":"n","SecretBinary":"not base64!"}"#)) { c throws(AWSError) in
            try sm(c).getSecretValue("n")
        }, "secretsmanager:GetSecretValue")
        expectInvalidResponse(failure(answer(#"{"VersionId":"v"}"#)) { c throws(AWSError) in try sm(c).createSecret(CreateSecretRequest(name: "n", secretString: "s")) },
                              "secretsmanager:CreateSecret")
        expectInvalidResponse(failure(answer(#"{"Name":"n"}"#)) { c throws(AWSError) in try sm(c).putSecretValue("n", secretString: "s") },
                              "secretsmanager:PutSecretValue")
        expectInvalidResponse(failure(answer(#"{"ARN":"\#(Self.arn)"}"#)) { c throws(AWSError) in try sm(c).describeSecret("n") },
                              "secretsmanager:DescribeSecret")
        expectInvalidResponse(failure(answer(#"{"SecretList":[{"Description":"no name"}]}"#)) { c throws(AWSError) in try sm(c).listSecrets(maxResults: 10) },
                              "secretsmanager:ListSecrets")
        expectInvalidResponse(failure(answer("{}")) { c throws(AWSError) in try sm(c).deleteSecret("n", recoveryWindowDays: nil, force: false) },
                              "secretsmanager:DeleteSecret")
    }

    /// Create and Put carry a ClientRequestToken (a repeat is a no-op); a repeated DeleteSecret fails.
    @Test func safetyOfEveryOperation() {
        for operation in SecretsManagerOperation.allCases {
            #expect(operation.safety == (operation == .deleteSecret ? .notIdempotent : .idempotent), "\(operation)")
        }
    }
}
