@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

/// Each IAM operation's request (form, version, safety) and the decoding of an answer shaped as
/// IAM's API reference shows it; answers missing what botocore's model requires are unreadable.
struct IAMShapeTests {
    func iam(_ client: AWSClient) -> IAMClient { IAMClient(client: client, endpoint: Fixture.iam) }

    func expectIAM(_ r: RecordedRequest, _ operation: IAMOperation, _ parameters: [(String, String)],
                   sourceLocation: SourceLocation = #_sourceLocation) {
        expectQuery(r, operation.name, version: "2010-05-08", parameters, safety: operation.safety, service: "iam", sourceLocation: sourceLocation)
        #expect(r.url.host == "iam.amazonaws.com" && r.credential?.region == "us-east-1", sourceLocation: sourceLocation)
    }

    static let bob = """

          <User>
            <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
            <Path>/division_abc/subdivision_xyz/</Path>
            <UserName>Bob</UserName>
            <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn>
            <CreateDate>2013-10-02T17:01:44Z</CreateDate>
            <PasswordLastUsed>2014-10-10T14:37:51Z</PasswordLastUsed>
          </User>

        """
    static let bobUser = IAMUser(name: "Bob", arn: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
                                 userId: "AIDACKCEVSQ6C2EXAMPLE", created: Timestamp.parse("2013-10-02T17:01:44Z"))

    @Test func users() throws {
        let (user, get) = try exchange(QueryAnswer.ok("GetUser", Self.bob)) { c throws(AWSError) in try iam(c).getUser("Bob") }
        expectIAM(get, .getUser, [("UserName", "Bob")])
        #expect(user == Self.bobUser)
        let (own, getOwn) = try exchange(QueryAnswer.ok("GetUser", Self.bob)) { c throws(AWSError) in try iam(c).getUser() }
        expectIAM(getOwn, .getUser, [])
        #expect(own.name == "Bob")

        let (created, create) = try exchange(QueryAnswer.ok("CreateUser", Self.bob)) { c throws(AWSError) in
            try iam(c).createUser("Bob", tags: [Tag(key: "team", value: "data eng"), Tag(key: "by", value: "credctl")])
        }
        expectIAM(create, .createUser, [("UserName", "Bob"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "data eng"),
                                        ("Tags.member.2.Key", "by"), ("Tags.member.2.Value", "credctl")])
        #expect(create.bodyText.contains("Tags.member.1.Value=data+eng"))
        #expect(created == Self.bobUser)

        let (_, delete) = try exchange(QueryAnswer.empty("DeleteUser")) { c throws(AWSError) in try iam(c).deleteUser("Bob") }
        expectIAM(delete, .deleteUser, [("UserName", "Bob")])

        let (listed, list) = try exchange(QueryAnswer.ok("ListUsers", "<Users><member>\(Self.bob.replacing("<User>", with: "").replacing("</User>", with: ""))</member></Users><IsTruncated>false</IsTruncated>")) { c throws(AWSError) in
            try iam(c).listUsers()
        }
        expectIAM(list, .listUsers, [])
        #expect(listed == [Self.bobUser])
    }

    @Test func findUserIsNilOnlyForNoSuchEntity() throws {
        let (none, _) = try exchange(QueryAnswer.error("NoSuchEntity", "The user with name nobody cannot be found.", status: 404)) { c throws(AWSError) in
            try iam(c).findUser("nobody")
        }
        #expect(none == nil)
        #expect(failure(QueryAnswer.error("AccessDenied", "no", status: 403)) { c throws(AWSError) in try iam(c).findUser("x") }?.isService(.accessDenied) == true)
    }

    @Test func accessKeys() throws {
        let listAnswer = QueryAnswer.ok("ListAccessKeys", """
            <UserName>Bob</UserName>
            <AccessKeyMetadata>
              <member><UserName>Bob</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status><CreateDate>2024-01-02T03:04:05Z</CreateDate></member>
              <member><UserName>Bob</UserName><AccessKeyId>AKIAI44QH8DHBEXAMPLE</AccessKeyId><Status>Inactive</Status></member>
            </AccessKeyMetadata>
            <IsTruncated>false</IsTruncated>
            """)
        let (keys, list) = try exchange(listAnswer) { c throws(AWSError) in try iam(c).listAccessKeys("Bob") }
        expectIAM(list, .listAccessKeys, [("UserName", "Bob")])
        #expect(keys == [AccessKeyMetadata(id: "AKIAIOSFODNN7EXAMPLE", userName: "Bob", status: .active, created: Timestamp.parse("2024-01-02T03:04:05Z")),
                         AccessKeyMetadata(id: "AKIAI44QH8DHBEXAMPLE", userName: "Bob", status: .inactive, created: nil)])

        let (key, create) = try exchange(QueryAnswer.ok("CreateAccessKey", """
            <AccessKey><UserName>Bob</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>
            <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey></AccessKey>
            """)) { c throws(AWSError) in try iam(c).createAccessKey("Bob") }
        expectIAM(create, .createAccessKey, [("UserName", "Bob")])
        #expect(key.metadata.id == "AKIAIOSFODNN7EXAMPLE" && key.metadata.status == .active)
        #expect(key.credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY")

        let (_, update) = try exchange(QueryAnswer.empty("UpdateAccessKey")) { c throws(AWSError) in
            try iam(c).updateAccessKey("AKIAIOSFODNN7EXAMPLE", status: .inactive, userName: "Bob")
        }
        expectIAM(update, .updateAccessKey, [("AccessKeyId", "AKIAIOSFODNN7EXAMPLE"), ("Status", "Inactive"), ("UserName", "Bob")])
        let (_, delete) = try exchange(QueryAnswer.empty("DeleteAccessKey")) { c throws(AWSError) in try iam(c).deleteAccessKey("AKIAIOSFODNN7EXAMPLE") }
        expectIAM(delete, .deleteAccessKey, [("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")])

        let (used, lastUsed) = try exchange(QueryAnswer.ok("GetAccessKeyLastUsed", """
            <AccessKeyLastUsed><Region>us-west-2</Region><LastUsedDate>2015-03-13T10:45:00Z</LastUsedDate><ServiceName>s3</ServiceName></AccessKeyLastUsed>
            <UserName>bob</UserName>
            """)) { c throws(AWSError) in try iam(c).getAccessKeyLastUsed("AKIAIOSFODNN7EXAMPLE") }
        expectIAM(lastUsed, .getAccessKeyLastUsed, [("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")])
        #expect(used.userName == "bob" && used.lastUse == AccessKeyLastUse(date: Timestamp.parse("2015-03-13T10:45:00Z"), service: "s3", region: "us-west-2"))
        let (never, _) = try exchange(QueryAnswer.ok("GetAccessKeyLastUsed", """
            <AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName></AccessKeyLastUsed><UserName>bob</UserName>
            """)) { c throws(AWSError) in try iam(c).getAccessKeyLastUsed("AKIAIOSFODNN7EXAMPLE") }
        #expect(never.lastUse == AccessKeyLastUse(date: nil, service: nil, region: nil))
    }

    @Test func aDateThatIsThereButIsNotADateIsAnUnreadableAnswer() throws {
        for bad in ["yesterday", "2024-13-01T00:00:00Z", ""] {
            let list = QueryAnswer.ok("ListAccessKeys", """
                <AccessKeyMetadata><member><UserName>Bob</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status>\
                <CreateDate>\(bad)</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>
                """)
            let error = failure(list) { c throws(AWSError) in try iam(c).listAccessKeys("Bob") }
            #expect(error?.description == "iam:ListAccessKeys: unreadable response: CreateDate '\(bad)' is not a date")
            let used = QueryAnswer.ok("GetAccessKeyLastUsed", """
                <AccessKeyLastUsed><Region>us-west-2</Region><LastUsedDate>\(bad)</LastUsedDate><ServiceName>s3</ServiceName></AccessKeyLastUsed>
                """)
            #expect(failure(used) { c throws(AWSError) in try iam(c).getAccessKeyLastUsed("AKIA1") }?.description
                    == "iam:GetAccessKeyLastUsed: unreadable response: LastUsedDate '\(bad)' is not a date")
            let users = QueryAnswer.ok("ListUsers", """
                <Users><member><UserName>a</UserName><Arn>arn:aws:iam::1:user/a</Arn><UserId>AIDA1</UserId><CreateDate>\(bad)</CreateDate></member></Users>\
                <IsTruncated>false</IsTruncated>
                """)
            #expect(failure(users) { c throws(AWSError) in try iam(c).listUsers() }?.description
                    == "iam:ListUsers: unreadable response: CreateDate '\(bad)' is not a date")
        }
    }

    @Test func listsFollowMarkers() throws {
        let member = "<member><UserName>Bob</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status></member>"
        let transport = ScriptedTransport([
            .response(QueryAnswer.ok("ListAccessKeys", "<AccessKeyMetadata>\(member)</AccessKeyMetadata><IsTruncated>true</IsTruncated><Marker>m/1=</Marker>")),
            .response(QueryAnswer.ok("ListAccessKeys", "<AccessKeyMetadata>\(member.replacing("AKIA1", with: "AKIA2"))</AccessKeyMetadata><IsTruncated>false</IsTruncated>")),
        ])
        let keys = try iam(Fixture.client(transport)).listAccessKeys("Bob")
        #expect(keys.map(\.id) == ["AKIA1", "AKIA2"])
        #expect(transport.requests[1].formPairs.last.map { "\($0.name)=\($0.value)" } == "Marker=m/1=")
    }

    @Test func inlinePolicies() throws {
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        let (_, put) = try exchange(QueryAnswer.empty("PutUserPolicy")) { c throws(AWSError) in
            try iam(c).putUserPolicy(userName: "Bob", policyName: "AllAccessPolicy", document: document)
        }
        expectIAM(put, .putUserPolicy, [("UserName", "Bob"), ("PolicyName", "AllAccessPolicy"), ("PolicyDocument", document)])

        let (text, get) = try exchange(QueryAnswer.ok("GetUserPolicy", """
            <UserName>Bob</UserName><PolicyName>AllAccessPolicy</PolicyName>
            <PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D</PolicyDocument>
            """)) { c throws(AWSError) in try iam(c).getUserPolicy(userName: "Bob", policyName: "AllAccessPolicy") }
        expectIAM(get, .getUserPolicy, [("UserName", "Bob"), ("PolicyName", "AllAccessPolicy")])
        #expect(text == document)
        let (none, _) = try exchange(QueryAnswer.error("NoSuchEntity", "none", status: 404)) { c throws(AWSError) in
            try iam(c).getUserPolicy(userName: "Bob", policyName: "x")
        }
        #expect(none == nil)

        let (_, delete) = try exchange(QueryAnswer.empty("DeleteUserPolicy")) { c throws(AWSError) in
            try iam(c).deleteUserPolicy(userName: "Bob", policyName: "AllAccessPolicy")
        }
        expectIAM(delete, .deleteUserPolicy, [("UserName", "Bob"), ("PolicyName", "AllAccessPolicy")])
    }

    static let policy = """
        <Policy><PolicyName>S3-read-only-example-bucket</PolicyName><DefaultVersionId>v1</DefaultVersionId>
        <PolicyId>AGPACKCEVSQ6C2EXAMPLE</PolicyId><Path>/</Path><Arn>arn:aws:iam::123456789012:policy/S3-read-only-example-bucket</Arn>
        <AttachmentCount>0</AttachmentCount><CreateDate>2014-09-15T17:36:14.673Z</CreateDate><UpdateDate>2014-09-15T17:36:14.673Z</UpdateDate></Policy>
        """
    static let arn = "arn:aws:iam::123456789012:policy/S3-read-only-example-bucket"

    @Test func managedPolicies() throws {
        let (created, create) = try exchange(QueryAnswer.ok("CreatePolicy", Self.policy)) { c throws(AWSError) in
            try iam(c).createPolicy(name: "S3-read-only-example-bucket", document: "{}", description: "read only")
        }
        expectIAM(create, .createPolicy, [("PolicyName", "S3-read-only-example-bucket"), ("PolicyDocument", "{}"), ("Description", "read only")])
        #expect(created == ManagedPolicy(arn: Self.arn, defaultVersionId: "v1"))

        let (got, get) = try exchange(QueryAnswer.ok("GetPolicy", Self.policy)) { c throws(AWSError) in try iam(c).getPolicy(arn: Self.arn) }
        expectIAM(get, .getPolicy, [("PolicyArn", Self.arn)])
        #expect(got == ManagedPolicy(arn: Self.arn, defaultVersionId: "v1"))
        let (missing, _) = try exchange(QueryAnswer.error("NoSuchEntity", "none", status: 404)) { c throws(AWSError) in try iam(c).getPolicy(arn: Self.arn) }
        #expect(missing == nil)

        let (_, delete) = try exchange(QueryAnswer.empty("DeletePolicy")) { c throws(AWSError) in try iam(c).deletePolicy(arn: Self.arn) }
        expectIAM(delete, .deletePolicy, [("PolicyArn", Self.arn)])

        let (document, getVersion) = try exchange(QueryAnswer.ok("GetPolicyVersion", """
            <PolicyVersion><Document>%7B%22Version%22%3A%222012-10-17%22%7D</Document><IsDefaultVersion>true</IsDefaultVersion>
            <VersionId>v2</VersionId><CreateDate>2014-09-15T20:31:47Z</CreateDate></PolicyVersion>
            """)) { c throws(AWSError) in try iam(c).getPolicyDocument(arn: Self.arn, versionId: "v2") }
        expectIAM(getVersion, .getPolicyVersion, [("PolicyArn", Self.arn), ("VersionId", "v2")])
        #expect(document == #"{"Version":"2012-10-17"}"#)

        let (versions, listVersions) = try exchange(QueryAnswer.ok("ListPolicyVersions", """
            <Versions>
              <member><IsDefaultVersion>false</IsDefaultVersion><VersionId>v3</VersionId><CreateDate>2014-09-17T22:32:43Z</CreateDate></member>
              <member><IsDefaultVersion>true</IsDefaultVersion><VersionId>v2</VersionId><CreateDate>2014-09-15T20:31:47Z</CreateDate></member>
              <member><IsDefaultVersion>false</IsDefaultVersion><VersionId>v1</VersionId><CreateDate>2014-09-15T17:36:14Z</CreateDate></member>
            </Versions><IsTruncated>false</IsTruncated>
            """)) { c throws(AWSError) in try iam(c).listPolicyVersions(arn: Self.arn) }
        expectIAM(listVersions, .listPolicyVersions, [("PolicyArn", Self.arn)])
        #expect(versions.map(\.id) == ["v1", "v2", "v3"] && versions.map(\.isDefault) == [false, true, false])

        let (_, createVersion) = try exchange(QueryAnswer.ok("CreatePolicyVersion", "<PolicyVersion><VersionId>v4</VersionId></PolicyVersion>")) { c throws(AWSError) in
            try iam(c).createPolicyVersion(arn: Self.arn, document: "{}")
        }
        expectIAM(createVersion, .createPolicyVersion, [("PolicyArn", Self.arn), ("PolicyDocument", "{}"), ("SetAsDefault", "true")])
        let (_, deleteVersion) = try exchange(QueryAnswer.empty("DeletePolicyVersion")) { c throws(AWSError) in
            try iam(c).deletePolicyVersion(arn: Self.arn, versionId: "v1")
        }
        expectIAM(deleteVersion, .deletePolicyVersion, [("PolicyArn", Self.arn), ("VersionId", "v1")])

        let (_, attach) = try exchange(QueryAnswer.empty("AttachUserPolicy")) { c throws(AWSError) in try iam(c).attachUserPolicy(userName: "Bob", policyArn: Self.arn) }
        expectIAM(attach, .attachUserPolicy, [("UserName", "Bob"), ("PolicyArn", Self.arn)])
        let (_, detach) = try exchange(QueryAnswer.empty("DetachUserPolicy")) { c throws(AWSError) in try iam(c).detachUserPolicy(userName: "Bob", policyArn: Self.arn) }
        expectIAM(detach, .detachUserPolicy, [("UserName", "Bob"), ("PolicyArn", Self.arn)])
    }

    /// What botocore's model requires (`User`: UserName, UserId, Arn; `AccessKey`: AccessKeyId,
    /// Status, SecretAccessKey; the lists of ListUsers and ListAccessKeys; GetUserPolicy's
    /// PolicyDocument), and what credctl cannot do without (a policy's Arn and DefaultVersionId).
    @Test func answersMissingWhatIsRequiredAreUnreadable() {
        let noArn = Self.bob.replacing(#/<Arn>[^<]*</Arn>/#, with: "")
        expectInvalidResponse(failure(QueryAnswer.ok("GetUser", noArn)) { c throws(AWSError) in try iam(c).getUser("Bob") }, "iam:GetUser")
        expectInvalidResponse(failure(QueryAnswer.ok("GetUser", "")) { c throws(AWSError) in try iam(c).getUser("Bob") }, "iam:GetUser")
        expectInvalidResponse(failure(QueryAnswer.ok("CreateUser", noArn)) { c throws(AWSError) in try iam(c).createUser("Bob") }, "iam:CreateUser")
        expectInvalidResponse(failure(QueryAnswer.ok("ListUsers", "<Users><member><UserName>x</UserName></member></Users>")) { c throws(AWSError) in
            try iam(c).listUsers()
        }, "iam:ListUsers")
        expectInvalidResponse(failure(QueryAnswer.ok("ListUsers", "<IsTruncated>false</IsTruncated>")) { c throws(AWSError) in try iam(c).listUsers() },
                              "iam:ListUsers")
        expectInvalidResponse(failure(QueryAnswer.ok("ListAccessKeys", "<IsTruncated>false</IsTruncated>")) { c throws(AWSError) in
            try iam(c).listAccessKeys("Bob")
        }, "iam:ListAccessKeys")
        expectInvalidResponse(failure(QueryAnswer.ok("ListAccessKeys", "<AccessKeyMetadata><member><AccessKeyId>A</AccessKeyId><Status>Deleted</Status></member></AccessKeyMetadata>")) { c throws(AWSError) in
            try iam(c).listAccessKeys("Bob")
        }, "iam:ListAccessKeys")
        expectInvalidResponse(failure(QueryAnswer.ok("CreateAccessKey", "<AccessKey><AccessKeyId>A</AccessKeyId><Status>Active</Status></AccessKey>")) { c throws(AWSError) in
            try iam(c).createAccessKey("Bob")
        }, "iam:CreateAccessKey")
        expectInvalidResponse(failure(QueryAnswer.ok("GetUserPolicy", "<UserName>Bob</UserName><PolicyName>p</PolicyName>")) { c throws(AWSError) in
            try iam(c).getUserPolicy(userName: "Bob", policyName: "p")
        }, "iam:GetUserPolicy")
        expectInvalidResponse(failure(QueryAnswer.ok("CreatePolicy", "<Policy><PolicyName>p</PolicyName></Policy>")) { c throws(AWSError) in
            try iam(c).createPolicy(name: "p", document: "{}")
        }, "iam:CreatePolicy")
        expectInvalidResponse(failure(QueryAnswer.ok("GetPolicy", "")) { c throws(AWSError) in try iam(c).getPolicy(arn: Self.arn) }, "iam:GetPolicy")
        expectInvalidResponse(failure(QueryAnswer.ok("GetPolicyVersion", "<PolicyVersion><VersionId>v1</VersionId></PolicyVersion>")) { c throws(AWSError) in
            try iam(c).getPolicyDocument(arn: Self.arn, versionId: "v1")
        }, "iam:GetPolicyVersion")
        expectInvalidResponse(failure(QueryAnswer.ok("ListPolicyVersions", "<Versions><member><IsDefaultVersion>true</IsDefaultVersion></member></Versions>")) { c throws(AWSError) in
            try iam(c).listPolicyVersions(arn: Self.arn)
        }, "iam:ListPolicyVersions")
        let garbage = HTTPResponse(status: 200, body: Array("<html><body>proxy".utf8))
        expectInvalidResponse(failure(garbage) { c throws(AWSError) in try iam(c).listAccessKeys("Bob") }, "iam:ListAccessKeys")
    }

    /// Creating and deleting are never idempotent (no request token; a repeated delete answers
    /// NoSuchEntity); reads, UpdateAccessKey, PutUserPolicy and AttachUserPolicy are.
    @Test func safetyOfEveryOperation() {
        let notIdempotent: Set<IAMOperation> = [.createUser, .deleteUser, .createAccessKey, .deleteAccessKey, .deleteUserPolicy, .createPolicy,
                                                .deletePolicy, .createPolicyVersion, .deletePolicyVersion, .detachUserPolicy]
        for operation in IAMOperation.allCases {
            #expect(operation.safety == (notIdempotent.contains(operation) ? .notIdempotent : .idempotent), "\(operation)")
        }
    }
}
