import Testing
@testable import AWSConfig
import AWSCore

struct INIFileTests {
    @Test func readsTheRealFormat() throws {
        let text = """
            # comment
            ; another
            [default]
            region=us-east-1
            output : json

            [profile dev]
              aws_access_key_id   =   AKIAEXAMPLE  \r
            s3 =
                max_concurrent_requests = 20
                addressing_style = path
            Role_ARN = arn:aws:iam::123456789012:role/x
            note = first
              second line
            [sso-session corp]
            sso_region = us-east-1
            [services local]
            dynamodb =
              endpoint_url = http://localhost:8000
            """
        let ini = try INIFile(parsing: text, path: "/cfg")
        #expect(ini.sections.map(\.name) == ["default", "profile dev", "sso-session corp", "services local"])
        #expect(ini.section("default")?["output"] == "json")
        let dev = try #require(ini.section("profile dev"))
        #expect(dev["aws_access_key_id"] == "AKIAEXAMPLE")
        #expect(dev.entry("aws_access_key_id")?.line == 8)
        #expect(dev.entry("s3")?.subsection == ["max_concurrent_requests": "20", "addressing_style": "path"])
        #expect(dev["role_arn"] == "arn:aws:iam::123456789012:role/x")
        #expect(dev["note"] == "first\nsecond line")
    }

    @Test(arguments: [
        ("region = x\n", 1, "'region = x' is outside any [section]"),
        ("[a]\nregion\n", 2, "expected 'key = value', found 'region'"),
        ("[a]\n[a]\n", 2, "section [a] appears twice"),
        ("[a]\nk=1\nK=2\n", 3, "'k' is set twice in [a]"),
        ("[a\n", 1, "malformed section header '[a'"),
        ("[a]\n= v\n", 2, "a value without a key"),
    ])
    func reportsFileAndLine(text: String, line: Int, reason: String) {
        #expect(throws: ConfigFileError(path: "/f", line: line, reason: reason)) { try INIFile(parsing: text, path: "/f") }
    }

    @Test func aMalformedLineThatCouldBeASecretIsCutShort() {
        do {
            _ = try INIFile(parsing: "[a]\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n", path: "/f")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"))
            #expect(error.description.contains("wJalrXUtnFEM…"))
        }
    }
}

struct SharedConfigFilesTests {
    func files(config: String?, credentials: String?) throws -> SharedConfigFiles {
        SharedConfigFiles(configPath: "/c", credentialsPath: "/k",
                          config: try config.map { try INIFile(parsing: $0, path: "/c") },
                          credentials: try credentials.map { try INIFile(parsing: $0, path: "/k") })
    }

    @Test func credentialsFileWinsPerKey() throws {
        let f = try files(config: "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n",
                          credentials: "[dev]\naws_access_key_id = FROMCREDS\n")
        let dev = try #require(f.profile("dev"))
        #expect(dev["aws_access_key_id"] == "FROMCREDS")
        #expect(dev.values["aws_access_key_id"]?.location == "/k:2")
        #expect(dev["region"] == "eu-west-1")
        #expect(f.profile("nope") == nil)
    }

    @Test func configSectionNames() {
        #expect(SharedConfigFiles.profileName(ofConfigSection: "default") == "default")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile dev") == "dev")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile \"my profile\"") == "my profile")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "dev") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profiledev") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "sso-session x") == nil)
    }

    @Test func defaultIsNotInherited() throws {
        let f = try files(config: "[default]\nregion = us-east-1\n[profile dev]\noutput = json\n", credentials: nil)
        #expect(f.profile("dev")?["region"] == nil)
    }
}

struct ProfileAndRegionTests {
    @Test func profileOrder() {
        #expect(ProfileSelection.resolve(flag: "a", environment: Environment(["AWS_PROFILE": "b"])) == ProfileSelection(name: "a", source: .flag))
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_PROFILE": "b", "AWS_DEFAULT_PROFILE": "c"])).name == "b")
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_PROFILE": "c"])).name == "c")
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_PROFILE": ""])).source == .defaultName)
    }

    @Test func regionOrder() throws {
        let profile = Profile(name: "p", values: ["region": .init(text: "ap-south-1", file: "/c", line: 3)])
        let env = Environment(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"])
        #expect(try RegionResolver.resolve(flag: "us-west-2", environment: env, profile: profile)?.source == "--region")
        #expect(try RegionResolver.resolve(flag: nil, environment: env, profile: profile)?.name == "eu-west-1")
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_REGION": "eu-west-2"]), profile: profile)?.name == "eu-west-2")
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(), profile: profile) == ResolvedRegion(name: "ap-south-1", source: "profile p (/c:3)"))
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(), profile: nil) == nil)
        #expect(throws: ConfigurationError.self) { try RegionResolver.resolve(flag: "Not A Region", environment: env, profile: nil) }
    }

    @Test func shellWords() {
        #expect(ShellWords.split(#"a 'b c' "d \"e\"" f\ g"#) == ["a", "b c", "d \"e\"", "f g"])
        #expect(ShellWords.split("'open") == nil)
        #expect(ShellWords.split("  ") == [])
    }
}
