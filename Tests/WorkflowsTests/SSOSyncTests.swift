import Testing
import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
@testable import Workflows

struct SSOProfileNameTemplateTests {
    @Test func rendersAndSanitises() throws {
        let t = try SSOProfileNameTemplate(SSOProfileNameTemplate.defaultText)
        #expect(t.render(accountName: "My  Prod [eu]", accountId: "1", roleName: "Admin", session: "corp", email: nil) == "My-Prod-eu.Admin")
        #expect(t.render(accountName: "", accountId: "123", roleName: "R", session: nil, email: nil) == "123.R")
        let all = try SSOProfileNameTemplate("{sso_session}/{account_id}@{role_name}+{email}")
        #expect(all.render(accountName: "x", accountId: "1", roleName: "R", session: nil, email: "a@b.c") == "sso/1@R+a@b.c")
        #expect(SSOProfileNameTemplate.sanitize("'quoted' \"name\"; #x") == "quoted-name-x")
    }

    @Test func rejectsBadTemplates() {
        for text in ["{nope}", "{role_name", "role}", "plain"] {
            #expect(throws: AWSError.self) { try SSOProfileNameTemplate(text) }
        }
    }
}

struct SSOSyncPlanTests {
    let session = SSOSession(name: "corp", startURL: "https://s", region: "us-east-1", location: "/c:1")

    func sync() throws -> SSOSync {
        let services = SSOServices(core: ClientCore(transport: CurlTransport()), endpoints: EndpointSettings())
        let target = SSOTarget(session: session, profile: nil, services: services, tokenCache: SSOTokenCache(directory: "/nonexistent"),
                               loginCommand: "x", log: .off, credentialsProfileNames: ["taken-by-credentials.R"])
        return SSOSync(target: target, configPath: "/c", template: try SSOProfileNameTemplate("{account_name}.{role_name}"),
                       region: "eu-west-1", stateDirectory: "/nonexistent")
    }

    @Test func plansEachAccountAndRole() throws {
        let existing = try INIFile(parsing: """
            [profile mine]
            sso_session = corp
            sso_account_id = 1
            sso_role_name = R
            [profile b.R]
            sso_session = corp
            sso_account_id = 2
            sso_role_name = R
            [profile c.R]
            region = us-east-1
            """, path: "/c")
        let accounts = ["a", "b", "c", "taken-by-credentials", "d", "d"].enumerated().map { i, name in
            SSOAccountRoles(account: SSOAccount(accountId: String(i + 1), accountName: name), roles: ["R"])
        }
        let plan = try sync().plan(accounts, existing: existing, credentialsProfiles: ["taken-by-credentials.R"])
        #expect(plan.map(\.action) == [.coveredBy("mine"), .exists, .nameTaken, .nameTaken, .add, .nameTaken])
        let text = try sync().sections(plan.filter { $0.action == .add })
        #expect(text == "# Added by credctl sso sync from sso-session corp (https://s)\n[profile d.R]\nsso_session = corp\nsso_account_id = 5\nsso_role_name = R\nregion = eu-west-1\n")
    }

    @Test func thePlanCarriesTheWriteRulesSoAnUnusablePairIsSkippedAlone() throws {
        let existing = try INIFile(parsing: "", path: "/c")
        let accounts = [SSOAccountRoles(account: SSOAccount(accountId: "1", accountName: String(repeating: "A", count: 50)),
                                        roles: ["PermissionSetNameOf32CharactersX", "Admin\n[profile evil]", " Lead"]),
                        SSOAccountRoles(account: SSOAccount(accountId: "2", accountName: "b"), roles: ["R"])]
        let plan = try sync().plan(accounts, existing: existing, credentialsProfiles: [])
        #expect(plan.map(\.action) == [
            .add,
            .unusable("the value of sso_role_name contains a line break or control character, which a shared file cannot hold"),
            .unusable("the value of sso_role_name starts or ends with a space, which a shared file does not keep"),
            .add,
        ])
        #expect(plan[0].name.count == 83)
    }

    @Test func separatorKeepsEveryByteAndAddsABlankLine() {
        #expect(SSOSync.separator([]) == "")
        #expect(SSOSync.separator(Array("a = b".utf8)) == "\n\n")
        #expect(SSOSync.separator(Array("a = b\n".utf8)) == "\n")
        #expect(SSOSync.separator(Array("a = b\n\n".utf8)) == "")
        #expect(SSOSync.separator(Array("a = b\r\n\r\n".utf8)) == "")
    }
}
