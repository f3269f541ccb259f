import Testing
import AWSConfig
import AWSCore
@testable import AWSCredentials

struct SSOConfigurationTests {
    func files(_ config: String) throws -> SharedConfigFiles {
        SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: try INIFile(parsing: config, path: "/c"), credentials: nil)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    let session = """
        [sso-session corp]
        sso_start_url = https://example.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access, ,extra

        """

    @Test func sessionSectionsAreFoundAsBotocoreFindsThem() throws {
        let f = try files("""
            [sso-session 'two words']
            sso_region = us-east-1
            [sso-sessionx y]
            sso_region = us-east-2
            [sso-session a b]
            sso_region = nope
            [sso-session-only]
            sso_region = nope
            """)
        let sections = SSOConfiguration.sessionSections(f)
        #expect(Set(sections.keys) == ["two words", "y"])
        #expect(sections["two words"]?.values["sso_region"]?.location == "/c:2")
    }

    @Test func sessionProfileResolves() throws {
        let f = try files("[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n" + session)
        let p = try #require(try SSOConfiguration.profile("dev", files: f))
        #expect(p.session == SSOSession(name: "corp", startURL: "https://example.awsapps.com/start", region: "eu-west-1",
                                        registrationScopes: ["sso:account:access", "extra"], location: "/c:5"))
        #expect(p.location == "/c:2" && p.usesSession && p.accountId == "1" && p.roleName == "R")
    }

    @Test func aProfileWithoutAccountOrRoleIsNotAnSSOCredentialsProfile() throws {
        let f = try files("[profile dev]\nsso_session = corp\n" + session)
        #expect(try SSOConfiguration.profile("dev", files: f) == nil)
        #expect(try SSOConfiguration.loginSession(profile: "dev", files: f).name == "corp")
    }

    @Test func valuesSetInBothPlacesMustAgree() throws {
        let agree = try files("[profile dev]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = R\n" + session)
        #expect(try SSOConfiguration.profile("dev", files: agree) != nil)
        let disagree = try files("[profile dev]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n" + session)
        #expect(message { _ = try SSOConfiguration.profile("dev", files: disagree) }
                == "profile 'dev' (/c:2): sso_region is 'us-east-1' here (/c:3) but 'eu-west-1' in [sso-session corp] (/c:8); remove it from the profile or make them agree")
    }

    @Test func missingSettingsAreNamed() throws {
        let legacy = try files("[profile old]\nsso_account_id = 1\nsso_role_name = R\n")
        #expect(message { _ = try SSOConfiguration.profile("old", files: legacy) }?
            .hasPrefix("profile 'old' (/c:2): uses IAM Identity Center but is missing sso_start_url and sso_region") == true)
        let noRole = try files("[profile dev]\nsso_session = corp\nsso_account_id = 1\n" + session)
        #expect(message { _ = try SSOConfiguration.profile("dev", files: noRole) } == "profile 'dev' (/c:2): uses IAM Identity Center but is missing sso_role_name")
        let empty = try files("[profile dev]\nsso_session = corp\nsso_account_id =\nsso_role_name = R\n" + session)
        #expect(message { _ = try SSOConfiguration.profile("dev", files: empty) } == "profile 'dev' (/c:2): uses IAM Identity Center but is missing sso_account_id")
        let noSection = try files("[profile dev]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n")
        #expect(message { _ = try SSOConfiguration.profile("dev", files: noSection) } == "there is no [sso-session gone] section in /c (named by profile 'dev' at /c:2)")
    }

    @Test func scopesAndTimes() {
        #expect(SSOConfiguration.parseScopes(" a , b,,c ") == ["a", "b", "c"])
        #expect(SSOTimestamp.parse("2026-01-02T03:04:05Z") == SSOTimestamp.parse("2026-01-02T03:04:05UTC"))
        #expect(SSOTimestamp.parse("2026-01-02T03:04:05.123+00:00") == SSOTimestamp.parse("2026-01-02T03:04:05Z"))
        #expect(SSOTimestamp.parse("yesterday") == nil)
        #expect(SSOTimestamp.format(SSOTimestamp.parse("2026-01-02T03:04:05Z")!) == "2026-01-02T03:04:05Z")
    }
}

struct SSOTokenCacheTests {
    @Test func cacheKeysAreBotocores() {
        // hashlib.sha1(b"corp").hexdigest(), and of the start URL for legacy profiles.
        #expect(SSOTokenCache.key("corp") == "ee0bfd2552fbd840c02cc48b6e823320543c450f")
        #expect(SSOTokenCache.key("https://example.awsapps.com/start") == "e8be5486177c5b5392bd9aa76563515b29358e6e")
    }

    @Test func registrationKeysAreTheAWSCLIs() {
        // sha1(json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"}, sort_keys=True))
        let corp = SSOSession(name: "corp", startURL: "https://example.awsapps.com/start", region: "us-east-1",
                              registrationScopes: ["sso:account:access"], location: "")
        #expect(SSOTokenCache.registrationKey(corp) == "593e7fe8be40a34ec2525a8025abd929e22037d9")
        let legacy = SSOSession(name: nil, startURL: "https://example.awsapps.com/start", region: "us-east-1", location: "")
        #expect(SSOTokenCache.registrationKey(legacy) == "6c6f31f93a84fcbeca9b94bb5d13f4109559e71a")
        let odd = SSOSession(name: "Ünïcode \"q\" \\ tab\t 😀", startURL: "https://d-1.awsapps.com/start/#/", region: "eu-west-1",
                             registrationScopes: ["a", "b:c"], location: "")
        #expect(SSOTokenCache.registrationKey(odd) == "ae57383fdff8c70e867cfd4360bcd5d090182163")
    }

    @Test func tokensNeverPrint() {
        let t = SSOToken(startURL: "u", region: "r", accessToken: "ACCESS-SECRET", expiresAt: 0, clientId: "c", clientSecret: "CLIENT-SECRET",
                         registrationExpiresAt: nil, refreshToken: "REFRESH-SECRET")
        for text in ["\(t)", "\(SSOCachedRegistration(clientId: "c", clientSecret: "CLIENT-SECRET", expiresAt: 0, scopes: nil))"] {
            #expect(!text.contains("SECRET"))
        }
    }
}
