import Testing
import AWSConfig
import AWSCore
@testable import AWSCredentials

struct RoleChainPlanTests {
    func files(config: String, credentials: String? = nil) throws -> SharedConfigFiles {
        SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: try INIFile(parsing: config, path: "/c"),
                          credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
    }

    let role = "arn:aws:iam::123456789012:role/r"

    @Test func chainEndsAtStaticKeysEvenWithRoleArn() throws {
        let f = try files(config: "[profile a]\nrole_arn = \(role)\nsource_profile = b\n[profile b]\nrole_arn = \(role)\nsource_profile = c\n"
                                  + "[profile c]\nrole_arn = \(role)\nsource_profile = d\naws_access_key_id = AKIA\naws_secret_access_key = s\n")
        let plan = try RoleChainPlan(start: "a", files: f)
        guard case .profile("c") = plan.base else { Issue.record("base \(plan.base)"); return }
        #expect(plan.roles.map(\.profile) == ["b", "a"])
        #expect(plan.description == ["profile c", "\(role) (profile b)", "\(role) (profile a)"])
    }

    @Test func selfReferenceWithKeysUsesOwnKeys() throws {
        let f = try files(config: "[profile a]\nrole_arn = \(role)\nsource_profile = a\naws_access_key_id = AKIA\naws_secret_access_key = s\n")
        let plan = try RoleChainPlan(start: "a", files: f)
        guard case .profile("a") = plan.base else { Issue.record("base \(plan.base)"); return }
        #expect(plan.roles.count == 1)
    }

    @Test func loopsAndBadSettingsAreConfigurationErrors() throws {
        for config in [
            "[profile a]\nrole_arn = \(role)\nsource_profile = b\n[profile b]\nrole_arn = \(role)\nsource_profile = a\n",
            "[profile a]\nrole_arn = \(role)\nsource_profile = a\n",
            "[profile a]\nrole_arn = \(role)\n",
            "[profile a]\nrole_arn = \(role)\nsource_profile = b\ncredential_source = Environment\n[profile b]\n",
            "[profile a]\nrole_arn = \(role)\ncredential_source = Ec2instancemetadata\n",
            "[profile a]\nrole_arn = \(role)\nsource_profile = b\nduration_seconds = 1h\n[profile b]\n",
        ] {
            do {
                _ = try RoleChainPlan(start: "a", files: try files(config: config))
                Issue.record("accepted \(config)")
            } catch {
                guard case AWSError.configuration = error else { Issue.record("wrong error \(error)"); continue }
            }
        }
    }

    @Test func credentialsFileSectionsCountAsProfiles() throws {
        let f = try files(config: "[profile a]\nrole_arn = \(role)\ncredential_source = EcsContainer\n",
                          credentials: "[a]\nregion_note = x\n")
        guard case .credentialSource("EcsContainer", "a") = try RoleChainPlan(start: "a", files: f).base else {
            Issue.record("expected the container source"); return
        }
    }

    @Test func cacheKeyDependsOnEverySetting() throws {
        let base = try RoleProfile(try files(config: "[profile a]\nrole_arn = \(role)\nsource_profile = b\n").profile("a")!)
        let other = try RoleProfile(try files(config: "[profile a]\nrole_arn = \(role)\nsource_profile = b\nexternal_id = xyz\n").profile("a")!)
        let same = try RoleProfile(try files(config: "# moved\n[profile a]\nsource_profile = b\nrole_arn = \(role)\n").profile("a")!)
        #expect(base.cacheKey != other.cacheKey)
        #expect(base.cacheKey == same.cacheKey)
        #expect(base.cacheKey.count == 64)
    }
}

struct ContainerHostTests {
    @Test func plainHTTPHosts() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"] {
            #expect(ContainerCredentialsProvider.isAllowedPlainHTTPHost(host), "\(host)")
        }
        for host in ["10.0.0.1", "169.254.169.254", "127.0.0.1.example.com", "127.0.0", "1270.0.0.1", "example.com", "127.0.0.256"] {
            #expect(!ContainerCredentialsProvider.isAllowedPlainHTTPHost(host), "\(host)")
        }
    }
}

struct MFACodeTests {
    @Test func codeMustBeSixDigits() throws {
        #expect(try MFACodeSource(code: "123456").code(serial: "s", profile: "p") == "123456")
        #expect(throws: AWSError.self) { try MFACodeSource(code: "12345").code(serial: "s", profile: "p") }
        #expect(throws: AWSError.self) { try MFACodeSource().code(serial: "s", profile: "p") }
        #expect(try MFACodeSource(prompt: { _ in " 654321 " }).code(serial: "s", profile: "p") == "654321")
    }
}
