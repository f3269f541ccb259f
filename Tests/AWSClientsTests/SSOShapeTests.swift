@testable import AWSClients
import AWSCore
import Testing
import TransportTesting

/// IAM Identity Center's portal and OAuth service (REST-JSON, unsigned).
struct SSOShapeTests {
    static let portal = Fixture.endpoint("portal.sso.eu-west-1.amazonaws.com", region: "eu-west-1")
    static let oidc = Fixture.endpoint("oidc.eu-west-1.amazonaws.com", region: "eu-west-1")

    func unsigned(_ answers: [ScriptedAnswer]) -> (AWSClient, ScriptedTransport) {
        let transport = ScriptedTransport(answers)
        return (AWSClient(core: Fixture.core(transport), keys: nil), transport)
    }

    func answer(_ text: String) -> ScriptedAnswer { .response(JSONAnswer.ok(try! JSONValue.parse(text), contentType: "application/json")) }

    func expectREST(_ r: RecordedRequest, _ method: String, _ path: String, query: String = "", safety: RepeatSafety,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.method == method && r.url.path == path && r.url.query == query, "\(r.method) \(r.url.path)?\(r.url.query)", sourceLocation: sourceLocation)
        #expect(r.header("Authorization") == nil, "never signed", sourceLocation: sourceLocation)
        #expect(r.safety == safety, sourceLocation: sourceLocation)
    }

    @Test func getRoleCredentials() throws {
        let (client, transport) = unsigned([answer("""
            {"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"secret","sessionToken":"token","expiration":1700000000123}}
            """)])
        let role = try SSOClient(client: client, endpoint: Self.portal).getRoleCredentials(accessToken: "bearer-1", accountId: "123456789012", roleName: "Read Only")
        let r = transport.requests[0]
        expectREST(r, "GET", "/federation/credentials", query: "role_name=Read%20Only&account_id=123456789012", safety: SSOOperation.getRoleCredentials.safety)
        #expect(r.header("x-amz-sso_bearer_token") == "bearer-1")
        #expect(role.credentials.accessKeyId == "ASIAEXAMPLE" && role.credentials.sessionToken == "token" && role.expiration == 1_700_000_000)
    }

    @Test func listAccountsAndRoles() throws {
        let (client, transport) = unsigned([
            answer(#"{"accountList":[{"accountId":"111111111111","accountName":"prod","emailAddress":"ops@example.com"}],"nextToken":"p2"}"#),
            answer(#"{"accountList":[{"accountId":"222222222222","accountName":"dev"}]}"#),
            answer(#"{"roleList":[{"roleName":"Admin","accountId":"111111111111"},{"roleName":"ReadOnly","accountId":"111111111111"}]}"#),
        ])
        let sso = SSOClient(client: client, endpoint: Self.portal)
        let accounts = try sso.allAccounts(accessToken: "t")
        #expect(accounts == [SSOAccount(accountId: "111111111111", accountName: "prod", emailAddress: "ops@example.com"),
                             SSOAccount(accountId: "222222222222", accountName: "dev")])
        expectREST(transport.requests[0], "GET", "/assignment/accounts", safety: .idempotent)
        expectREST(transport.requests[1], "GET", "/assignment/accounts", query: "next_token=p2", safety: .idempotent)
        let roles = try sso.allAccountRoles(accessToken: "t", accountId: "111111111111")
        #expect(roles == ["Admin", "ReadOnly"])
        expectREST(transport.requests[2], "GET", "/assignment/roles", query: "account_id=111111111111", safety: .idempotent)
    }

    @Test func logout() throws {
        let (client, transport) = unsigned([.status(200)])
        try SSOClient(client: client, endpoint: Self.portal).logout(accessToken: "t")
        expectREST(transport.requests[0], "POST", "/logout", safety: SSOOperation.logout.safety)
        #expect(transport.requests[0].header("x-amz-sso_bearer_token") == "t")
    }

    @Test func oauthCalls() throws {
        let (client, transport) = unsigned([
            answer(#"{"clientId":"cid","clientSecret":"csecret","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}"#),
            answer("""
                {"deviceCode":"dev-code","userCode":"ABCD-EFGH","verificationUri":"https://device.sso.eu-west-1.amazonaws.com/",
                 "verificationUriComplete":"https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH","expiresIn":600,"interval":1}
                """),
            answer(#"{"accessToken":"at","tokenType":"Bearer","expiresIn":28800,"refreshToken":"rt"}"#),
        ])
        let oidc = SSOOIDCClient(client: client, endpoint: Self.oidc)
        let registration = try oidc.registerClient(clientName: "credctl", scopes: ["sso:account:access"])
        #expect(registration.clientId == "cid" && registration.clientSecret == "csecret" && registration.expiresAt == 1_707_776_000)
        let device = try oidc.startDeviceAuthorization(registration, startURL: "https://my.awsapps.com/start")
        #expect(device.userCode == "ABCD-EFGH" && device.expiresIn == 600 && device.interval == 1)
        let token = try oidc.createToken(clientId: "cid", clientSecret: "csecret", grant: .deviceCode("dev-code"))
        #expect(token.accessToken == "at" && token.expiresIn == 28800 && token.refreshToken == "rt")

        let r = transport.requests
        expectREST(r[0], "POST", "/client/register", safety: .notIdempotent)
        #expect(r[0].json.map(sortedMembers) == sortedMembers(try JSONValue.parse(#"{"clientName":"credctl","clientType":"public","scopes":["sso:account:access"]}"#)))
        expectREST(r[1], "POST", "/device_authorization", safety: .notIdempotent)
        #expect(r[1].json.map(sortedMembers) == sortedMembers(try JSONValue.parse(#"{"clientId":"cid","clientSecret":"csecret","startUrl":"https://my.awsapps.com/start"}"#)))
        expectREST(r[2], "POST", "/token", safety: .notIdempotent)
        #expect(r[2].json.map(sortedMembers) == sortedMembers(try JSONValue.parse("""
            {"clientId":"cid","clientSecret":"csecret","grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"dev-code"}
            """)))
        #expect(r.allSatisfy { $0.header("Content-Type") == "application/json" })
    }

    @Test func errorsAreReadAsBotocoreReadsThem() {
        let (client, _) = unsigned([.response(HTTPResponse(status: 400, headers: [("x-amzn-ErrorType", "AuthorizationPendingException")],
                                                           body: Array(#"{"error":"authorization_pending","error_description":"waiting"}"#.utf8)))])
        let error = thrown { () throws(AWSError) in
            try SSOOIDCClient(client: client, endpoint: Self.oidc).createToken(clientId: "c", clientSecret: "s", grant: .refreshToken("r"))
        }
        guard case .service(let e)? = error else { Issue.record("expected a service error"); return }
        #expect(e.code == "AuthorizationPendingException" && e.message == "waiting")
    }

    @Test func answersMissingWhatIsNeededAreUnreadable() {
        func portal(_ text: String, _ body: (SSOClient) throws(AWSError) -> Void) -> AWSError? {
            let (client, _) = unsigned([answer(text)])
            return thrown { () throws(AWSError) in try body(SSOClient(client: client, endpoint: Self.portal)) }
        }
        func oauth(_ text: String, _ body: (SSOOIDCClient) throws(AWSError) -> Void) -> AWSError? {
            let (client, _) = unsigned([answer(text)])
            return thrown { () throws(AWSError) in try body(SSOOIDCClient(client: client, endpoint: Self.oidc)) }
        }
        expectInvalidResponse(portal(#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s","expiration":1}}"#) { s throws(AWSError) in
            _ = try s.getRoleCredentials(accessToken: "t", accountId: "1", roleName: "r")
        }, "awsssoportal:GetRoleCredentials")
        expectInvalidResponse(portal(#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s","sessionToken":"t"}}"#) { s throws(AWSError) in
            _ = try s.getRoleCredentials(accessToken: "t", accountId: "1", roleName: "r")
        }, "awsssoportal:GetRoleCredentials")
        expectInvalidResponse(portal(#"{"accountList":[{"accountName":"no id"}]}"#) { s throws(AWSError) in _ = try s.listAccounts(accessToken: "t") },
                              "awsssoportal:ListAccounts")
        expectInvalidResponse(portal(#"{"roleList":[{"accountId":"1"}]}"#) { s throws(AWSError) in _ = try s.listAccountRoles(accessToken: "t", accountId: "1") },
                              "awsssoportal:ListAccountRoles")
        expectInvalidResponse(oauth(#"{"clientId":"c"}"#) { o throws(AWSError) in _ = try o.registerClient(clientName: "n", scopes: nil) },
                              "sso-oauth:RegisterClient")
        expectInvalidResponse(oauth(#"{"deviceCode":"d","userCode":"u"}"#) { o throws(AWSError) in
            _ = try o.startDeviceAuthorization(SSOClientRegistration(clientId: "c", clientSecret: "s", expiresAt: 0), startURL: "https://x")
        }, "sso-oauth:StartDeviceAuthorization")
        expectInvalidResponse(oauth(#"{"tokenType":"Bearer","expiresIn":1}"#) { o throws(AWSError) in
            _ = try o.createToken(clientId: "c", clientSecret: "s", grant: .refreshToken("r"))
        }, "sso-oauth:CreateToken")
    }

    @Test func safetyOfEveryOperation() {
        #expect(SSOOperation.allCases.allSatisfy { $0.safety == .idempotent })
        #expect(SSOOIDCOperation.allCases.allSatisfy { $0.safety == .notIdempotent })
    }
}
