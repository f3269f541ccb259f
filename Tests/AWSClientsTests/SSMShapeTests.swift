@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

struct SSMShapeTests {
    func ssm(_ client: AWSClient) -> SSMClient { SSMClient(client: client, endpoint: Fixture.ssm) }

    func expectSSM(_ r: RecordedRequest, _ operation: SSMOperation, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectJSON(r, target: "AmazonSSM.\(operation.name)", version: "1.1", body, safety: operation.safety, service: "ssm", sourceLocation: sourceLocation)
        #expect(r.url.host == "ssm.eu-west-1.amazonaws.com" && r.credential?.region == "eu-west-1", sourceLocation: sourceLocation)
    }

    static let password = """
        {"ARN":"arn:aws:ssm:us-east-2:111122223333:parameter/MyGitHubPassword","DataType":"text","LastModifiedDate":1582657288.8,
         "Name":"MyGitHubPassword","Type":"SecureString","Value":"s3cr3t","Version":3}
        """

    func answer(_ text: String) -> HTTPResponse { JSONAnswer.ok(try! JSONValue.parse(text)) }

    @Test func getParameter() throws {
        let (p, r) = try exchange(answer(#"{"Parameter":\#(Self.password)}"#)) { c throws(AWSError) in try ssm(c).getParameter("MyGitHubPassword:3") }
        expectSSM(r, .getParameter, #"{"Name":"MyGitHubPassword:3","WithDecryption":true}"#)
        #expect(p == Parameter(name: "MyGitHubPassword", type: .secureString, value: "s3cr3t", version: 3, lastModified: 1582657288,
                               arn: "arn:aws:ssm:us-east-2:111122223333:parameter/MyGitHubPassword", dataType: "text"))
        let (none, _) = try exchange(JSONAnswer.error("ParameterNotFound", "")) { c throws(AWSError) in try ssm(c).findParameter("/x", decrypt: false) }
        #expect(none == nil)
    }

    @Test func getParameters() throws {
        let (result, r) = try exchange(answer(#"{"InvalidParameters":["helloWorld"],"Parameters":[\#(Self.password)]}"#)) { c throws(AWSError) in
            try ssm(c).getParameters(["MyGitHubPassword", "helloWorld"], decrypt: false)
        }
        expectSSM(r, .getParameters, #"{"Names":["MyGitHubPassword","helloWorld"],"WithDecryption":false}"#)
        #expect(result.found.map(\.name) == ["MyGitHubPassword"] && result.invalid == ["helloWorld"])
    }

    @Test func getParametersByPath() throws {
        let (page, r) = try exchange(answer(#"{"Parameters":[\#(Self.password)],"NextToken":"AAEAAQ=="}"#)) { c throws(AWSError) in
            try ssm(c).getParametersByPath("/app", recursive: true, decrypt: true, nextToken: "t0")
        }
        expectSSM(r, .getParametersByPath, #"{"Path":"/app","Recursive":true,"WithDecryption":true,"MaxResults":10,"NextToken":"t0"}"#)
        #expect(page.items.map(\.value) == ["s3cr3t"] && page.nextToken == "AAEAAQ==")
    }

    @Test func putParameter() throws {
        let request = PutParameterRequest(name: "/app/db", value: "v a\"l", type: .secureString, overwrite: true, description: "the db",
                                          keyId: "alias/app", tier: .advanced, tags: [Tag(key: "team", value: "data")])
        let (version, r) = try exchange(answer(#"{"Version":7,"Tier":"Advanced"}"#)) { c throws(AWSError) in try ssm(c).putParameter(request) }
        expectSSM(r, .putParameter, #"""
            {"Name":"/app/db","Value":"v a\"l","Type":"SecureString","Overwrite":true,"Description":"the db","KeyId":"alias/app",
             "Tier":"Advanced","Tags":[{"Key":"team","Value":"data"}]}
            """#)
        #expect(version == 7)
        let (_, plain) = try exchange(answer(#"{"Version":1}"#)) { c throws(AWSError) in try ssm(c).putParameter(PutParameterRequest(name: "n", value: "v", type: .string)) }
        expectSSM(plain, .putParameter, #"{"Name":"n","Value":"v","Type":"String","Overwrite":false}"#)
    }

    @Test func listTagsAndDataType() throws {
        let (tags, r) = try exchange(answer(#"{"TagList":[{"Key":"team","Value":"data"},{"Key":"env","Value":""}]}"#)) { c throws(AWSError) in
            try ssm(c).listTags(ofParameter: "/app/db")
        }
        expectSSM(r, .listTagsForResource, #"{"ResourceType":"Parameter","ResourceId":"/app/db"}"#)
        #expect(tags == [Tag(key: "team", value: "data"), Tag(key: "env", value: "")])
        expectInvalidResponse(failure(answer(#"{"TagList":[{"Key":"k"}]}"#)) { c throws(AWSError) in try ssm(c).listTags(ofParameter: "/a") },
                              "ssm:ListTagsForResource")
        let (_, put) = try exchange(answer(#"{"Version":1}"#)) { c throws(AWSError) in
            try ssm(c).putParameter(PutParameterRequest(name: "/ami", value: "ami-0123456789abcdef0", type: .string, dataType: "aws:ec2:image"))
        }
        expectSSM(put, .putParameter, #"{"Name":"/ami","Value":"ami-0123456789abcdef0","Type":"String","Overwrite":false,"DataType":"aws:ec2:image"}"#)
    }

    @Test func tagsAndDeletes() throws {
        let (_, tag) = try exchange(answer("{}")) { c throws(AWSError) in try ssm(c).addTags(toParameter: "/app/db", [Tag(key: "k", value: "v")]) }
        expectSSM(tag, .addTagsToResource, #"{"ResourceType":"Parameter","ResourceId":"/app/db","Tags":[{"Key":"k","Value":"v"}]}"#)
        let (deleted, delete) = try exchange(answer(#"{"DeletedParameters":["/a"],"InvalidParameters":["/b"]}"#)) { c throws(AWSError) in
            try ssm(c).deleteParameters(["/a", "/b"])
        }
        expectSSM(delete, .deleteParameters, #"{"Names":["/a","/b"]}"#)
        #expect(deleted.deleted == ["/a"] && deleted.invalid == ["/b"])
    }

    @Test func describeParameters() throws {
        let (page, r) = try exchange(answer("""
            {"Parameters":[{"ARN":"arn:aws:ssm:us-east-2:111122223333:parameter/MySecureStringParameter","Name":"MySecureStringParameter",
              "Type":"SecureString","KeyId":"alias/aws/ssm","LastModifiedDate":1582155479.205,
              "LastModifiedUser":"arn:aws:sts::111122223333:assumed-role/Admin/Richard-Roe-Managed","Description":"This is a SecureString parameter",
              "Version":2,"Tier":"Advanced","Policies":[{"PolicyText":"{}","PolicyType":"Expiration","PolicyStatus":"Pending"}],"DataType":"text"}],
             "NextToken":"n2"}
            """)) { c throws(AWSError) in try ssm(c).describeParameters(path: "/app", recursive: false, maxResults: 50, nextToken: "n1") }
        expectSSM(r, .describeParameters, #"""
            {"MaxResults":50,"ParameterFilters":[{"Key":"Path","Option":"OneLevel","Values":["/app"]}],"NextToken":"n1"}
            """#)
        #expect(page.items == [ParameterMetadata(name: "MySecureStringParameter", type: .secureString, version: 2, lastModified: 1582155479,
                                                 lastModifiedUser: "arn:aws:sts::111122223333:assumed-role/Admin/Richard-Roe-Managed",
                                                 description: "This is a SecureString parameter", keyId: "alias/aws/ssm", tier: .advanced,
                                                 policyCount: 1)])
        #expect(page.nextToken == "n2")
    }

    @Test func parameterHistory() throws {
        let (versions, r) = try exchange(answer("""
            {"Parameters":[{"Name":"MyStringParameter","Type":"String","LastModifiedDate":1582154711.976,"LastModifiedUser":"arn:aws:iam::111122223333:user/Mary-Major",
              "Description":"This is the first version","Value":"Veni","Version":1,"Labels":["first"],"Tier":"Standard","Policies":[],"DataType":"text"}]}
            """)) { c throws(AWSError) in try ssm(c).parameterHistory("MyStringParameter", decrypt: true) }
        expectSSM(r, .getParameterHistory, #"{"Name":"MyStringParameter","WithDecryption":true,"MaxResults":50}"#)
        #expect(versions == [ParameterVersion(version: 1, type: .string, value: "Veni", lastModified: 1582154711,
                                              lastModifiedUser: "arn:aws:iam::111122223333:user/Mary-Major", description: "This is the first version",
                                              labels: ["first"])])
    }

    /// Shell completion's listing: names only, a `Name` `BeginsWith` filter (none for an empty
    /// prefix, which the service would refuse), a page of at most 50.
    @Test func parameterNames() throws {
        let (page, r) = try exchange(answer(#"{"Parameters":[{"Name":"/app/db/user","Type":"String","Version":1}],"NextToken":"t1"}"#)) {
            c throws(AWSError) in try ssm(c).parameterNames(beginningWith: "/app/", maxResults: 80, nextToken: "t0")
        }
        expectSSM(r, .describeParameters,
                  #"{"MaxResults":50,"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/app/"]}],"NextToken":"t0"}"#)
        #expect(page.items == ["/app/db/user"] && page.nextToken == "t1")
        let (all, r2) = try exchange(answer(#"{"Parameters":[]}"#)) { c throws(AWSError) in try ssm(c).parameterNames(beginningWith: "", maxResults: 10) }
        expectSSM(r2, .describeParameters, #"{"MaxResults":10}"#)
        #expect(all.items.isEmpty && all.nextToken == nil)
        expectInvalidResponse(failure(answer(#"{"Parameters":[{"Type":"String"}]}"#)) { c throws(AWSError) in
            try ssm(c).parameterNames(beginningWith: "/", maxResults: 50)
        }, "ssm:DescribeParameters")
    }

    /// credctl needs a parameter's Name, Type, Value and Version, and PutParameter's Version: an
    /// answer without them is unreadable, never a parameter with defaults.
    @Test func answersMissingWhatIsNeededAreUnreadable() {
        for field in ["Name", "Type", "Value", "Version"] {
            var object = try! JSONValue.parse(Self.password)
            if case .object(let members) = object { object = .object(members.filter { $0.0 != field }) }
            let body = JSONValue.object([("Parameter", object)])
            expectInvalidResponse(failure(JSONAnswer.ok(body)) { c throws(AWSError) in try ssm(c).getParameter("x") }, "ssm:GetParameter")
            expectInvalidResponse(failure(JSONAnswer.ok(.object([("Parameters", .array([object]))]))) { c throws(AWSError) in
                try ssm(c).getParametersByPath("/", recursive: true)
            }, "ssm:GetParametersByPath")
        }
        expectInvalidResponse(failure(answer(#"{"Parameter":{"Name":"x","Type":"Secret","Value":"v","Version":1}}"#)) { c throws(AWSError) in
            try ssm(c).getParameter("x")
        }, "ssm:GetParameter")
        expectInvalidResponse(failure(answer("{}")) { c throws(AWSError) in try ssm(c).getParameter("x") }, "ssm:GetParameter")
        expectInvalidResponse(failure(answer(#"{"Tier":"Standard"}"#)) { c throws(AWSError) in try ssm(c).putParameter(PutParameterRequest(name: "n", value: "v")) },
                              "ssm:PutParameter")
        expectInvalidResponse(failure(answer(#"{"Parameters":[{"Name":"n"}]}"#)) { c throws(AWSError) in
            try ssm(c).describeParameters(path: nil, recursive: true, maxResults: 50)
        }, "ssm:DescribeParameters")
        expectInvalidResponse(failure(answer(#"{"Parameters":[{"Name":"n","Value":"v"}]}"#)) { c throws(AWSError) in
            try ssm(c).parameterHistory("n", decrypt: true)
        }, "ssm:GetParameterHistory")
        expectInvalidResponse(failure(HTTPResponse(status: 200, body: Array("{\"Parameter\":".utf8))) { c throws(AWSError) in try ssm(c).getParameter("x") },
                              "ssm:GetParameter")
    }

    /// PutParameter has no request token and a repeated DeleteParameters reports what the first deleted as invalid.
    @Test func safetyOfEveryOperation() {
        for operation in SSMOperation.allCases {
            #expect(operation.safety == ([.putParameter, .deleteParameters].contains(operation) ? .notIdempotent : .idempotent), "\(operation)")
        }
    }
}
