import Testing
import AWSConfig
import AWSClients
import AWSCore
@testable import AWSCredentials

/// The registry is the one list of providers: the chains built from it, in botocore's order.
struct ProviderRegistryTests {
    func context(_ env: Environment = Environment(["AWS_EC2_METADATA_DISABLED": "true"]), config: String = "", credentials: String? = nil,
                 profile: String = "default") throws -> CredentialContext {
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: try INIFile(parsing: config, path: "/c"),
                                      credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
        return CredentialContext(files: files, environment: env, settings: try CredentialSettings.resolve(environment: env, profile: files.profile(profile)),
                                 profileName: profile, core: { ClientCore(transport: CurlTransport()) }, region: nil)
    }

    @Test func standardChainIsBotocoresOrderWithTheVaultBeforeTheProcess() throws {
        let scope = ProviderScope(context: try context(), profile: ProfileSelection(name: "default", source: .defaultName), chain: .standard)
        #expect(ProviderRegistry.providers(for: scope).map(\.kind) == [
            .environment, .assumeRole, .webIdentity, .sso, .sharedCredentialsFile, .loginSession, .vault, .process, .configFile, .container,
            .instanceMetadata,
        ])
    }

    @Test func sourceProfileChainIsTheProfileProviders() throws {
        let scope = ProviderScope(context: try context(), profile: ProfileSelection(name: "b", source: .flag), chain: .sourceProfile)
        #expect(ProviderRegistry.providers(for: scope).map(\.kind) == [.webIdentity, .sso, .sharedCredentialsFile, .loginSession, .vault, .process,
                                                                              .configFile])
    }

    @Test func credentialSourcesNameTheirProviders() {
        #expect(ProviderRegistry.credentialSourceNames == ["Environment", "EcsContainer", "Ec2InstanceMetadata"])
        #expect(ProviderRegistry.credentialSource(named: "EcsContainer")?.kind == .container)
        #expect(ProviderRegistry.credentialSource(named: "Ec2InstanceMetadata")?.kind == .instanceMetadata)
        #expect(ProviderRegistry.credentialSource(named: "Environment")?.kind == .environment)
        #expect(ProviderRegistry.credentialSource(named: "environment") == nil)
    }

    @Test func eachProviderHasOneKindAndSaysWhatItReads() {
        let kinds = ProviderRegistry.all.map(\.kind)
        #expect(Set(kinds).count == kinds.count)
        #expect(Set(kinds.map(\.rawValue)).count == kinds.count)
        for registration in ProviderRegistry.all {
            #expect(!registration.reads.isEmpty, "\(registration.kind)")
        }
    }

    /// A provider's kind is what its registration says, and what its credentials' provenance says.
    @Test func builtProvidersCarryTheirRegistrationsKind() throws {
        let scope = ProviderScope(context: try context(), profile: ProfileSelection(name: "default", source: .defaultName), chain: .standard)
        for registration in ProviderRegistry.all {
            #expect(registration.provider(for: scope)?.kind == registration.kind)
        }
    }

    @Test func environmentIsSkippedWithProfileFlagButServesCredentialSource() throws {
        let env = Environment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_EC2_METADATA_DISABLED": "true"])
        let c = try context(env, credentials: "[dev]\naws_access_key_id = AKIAFILE\naws_secret_access_key = t\n", profile: "dev")
        let explicit = ProviderScope(context: c, profile: ProfileSelection(name: "dev", source: .flag), chain: .standard)
        let r = try CredentialChain(providers: ProviderRegistry.providers(for: explicit)).resolve()
        #expect(r.credentials.accessKeyId == "AKIAFILE")
        #expect(r.attempts.first == ProviderAttempt(provider: .environment, outcome: "skipped: --profile dev was given"))
        let source = ProviderScope(context: c, profile: ProfileSelection(name: "dev", source: .flag), chain: .credentialSource)
        guard case .found(let found)? = try ProviderRegistry.credentialSource(named: "Environment")?.provider(for: source)?.resolve() else {
            Issue.record("the environment did not answer as a credential source"); return
        }
        #expect(found.accessKeyId == "AKIAENV")
    }

    /// A source profile's chain never reads the environment's web identity variables.
    @Test func sourceProfileIgnoresTheEnvironmentsWebIdentity() throws {
        let env = Environment(["AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r", "AWS_EC2_METADATA_DISABLED": "true"])
        let c = try context(env, config: "[profile b]\nregion = us-east-1\n")
        let scope = ProviderScope(context: c, profile: ProfileSelection(name: "b", source: .flag), chain: .sourceProfile)
        let web = ProviderRegistry.providers(for: scope).first!
        guard case .notFound(let reason) = try web.resolve() else { Issue.record("web identity answered"); return }
        #expect(reason == "profile 'b' has no web_identity_token_file")
    }

    @Test func unknownCredentialSourceListsTheRegisteredOnes() throws {
        let f = try context(config: "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2instancemetadata\n").files
        do {
            _ = try RoleChainPlan(start: "a", files: f)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("credential_source 'Ec2instancemetadata' is not one of Environment, EcsContainer, Ec2InstanceMetadata"))
        }
    }
}
