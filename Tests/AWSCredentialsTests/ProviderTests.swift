import Testing
import AWSConfig
import AWSClients
import AWSCore
@testable import AWSCredentials

struct EnvironmentProviderTests {
    @Test func readsKeysTokenAndExpiry() throws {
        let env = Environment(["AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SECURITY_TOKEN": "legacy",
                               "AWS_CREDENTIAL_EXPIRATION": "2030-01-01T00:00:00Z"])
        let p = EnvironmentCredentialsProvider(settings: .resolve(env), profile: .resolve(flag: nil, environment: env))
        guard case .found(let c) = try p.resolve() else { Issue.record("not found"); return }
        #expect(c.signing.sessionToken == "legacy")
        #expect(c.expiration == Timestamp.parse("2030-01-01T00:00:00Z"))
        #expect(c.keyType == .temporary)
        #expect(c.provenance.rule == nil)
    }

    @Test func halfSetKeysAreAnError() {
        let env = Environment(["AWS_ACCESS_KEY_ID": "AKIA"])
        #expect(throws: AWSError.self) { try EnvironmentCredentialsProvider(settings: .resolve(env), profile: .resolve(flag: nil, environment: env)).resolve() }
    }

    @Test func badExpirationIsAnError() {
        let env = Environment(["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CREDENTIAL_EXPIRATION": "tomorrow"])
        #expect(throws: AWSError.self) { try EnvironmentCredentialsProvider(settings: .resolve(env), profile: .resolve(flag: nil, environment: env)).resolve() }
    }

    @Test func descriptionNeverShowsTheSecret() {
        let c = Credentials(signing: .init(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "TOPSECRET", sessionToken: "TOKEN"),
                            provenance: Provenance(provider: .environment))
        #expect(!"\(c)".contains("TOPSECRET"))
        #expect(!"\(c.signing)".contains("TOPSECRET"))
        #expect(!"\(c.signing)".contains("TOKEN"))
    }
}

struct CredentialChainTests {
    /// The standard chain, instance metadata off so nothing leaves the machine.
    func chain(_ env: Environment, _ files: SharedConfigFiles, flag: String?) throws -> CredentialChain.Resolution {
        var variables = env.variables
        variables["AWS_EC2_METADATA_DISABLED"] = "true"
        let e = Environment(variables)
        let profile = ProfileSelection.resolve(flag: flag, environment: e)
        let context = CredentialContext(files: files, environment: e, settings: try CredentialSettings.resolve(environment: e, profile: files.profile(profile.name)),
                                        profileName: profile.name, core: { ClientCore(transport: CurlTransport()) }, region: nil)
        return try CredentialChain.standard(context: context, profile: profile).resolve()
    }

    func files(_ credentials: String?, _ config: String? = nil) throws -> SharedConfigFiles {
        SharedConfigFiles(configPath: "/c", credentialsPath: "/k",
                          config: try config.map { try INIFile(parsing: $0, path: "/c") },
                          credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
    }

    @Test func environmentFirstUnlessProfileFlag() throws {
        let env = Environment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "dev"])
        let f = try files("[dev]\naws_access_key_id = AKIAFILE\naws_secret_access_key = t\n")
        let viaEnv = try chain(env, f, flag: nil)
        #expect(viaEnv.credentials.accessKeyId == "AKIAENV")
        #expect(viaEnv.credentials.provenance.rule?.contains("AWS_PROFILE=dev") == true)
        let viaFlag = try chain(env, f, flag: "dev")
        #expect(viaFlag.credentials.accessKeyId == "AKIAFILE")
        #expect(viaFlag.credentials.provenance.location == "/k:2")
    }

    @Test func credentialsFileBeforeConfigFile() throws {
        let f = try files("[default]\naws_access_key_id = AKIACREDS\naws_secret_access_key = a\n",
                          "[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = b\n")
        let r = try chain(Environment(), f, flag: nil)
        #expect(r.credentials.accessKeyId == "AKIACREDS")
        let onlyConfig = try files(nil, "[profile x]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = b\naws_session_token = t\n")
        let r2 = try chain(Environment(), onlyConfig, flag: "x")
        #expect(r2.credentials.provenance.provider == .configFile)
        #expect(r2.credentials.signing.sessionToken == "t")
    }

    @Test func partialProfileKeysAreAConfigurationError() throws {
        let f = try files("[default]\naws_access_key_id = AKIA\n")
        #expect(throws: AWSError.self) {
            try chain(Environment(), f, flag: nil)
        }
    }

    @Test func nothingFoundListsEveryPlace() throws {
        do {
            _ = try chain(Environment(), try files(nil), flag: nil)
            Issue.record("expected noCredentials")
        } catch {
            guard case AWSError.noCredentials(let message)? = error as? AWSError else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"))
            #expect(message.contains("shared-credentials-file: /k does not exist"))
            #expect(message.contains("config-file: /c does not exist"))
        }
    }
}
