import Testing
@testable import AWSConfig
import AWSCore

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
        #expect(dev.definitions.map(\.location) == ["/c:1", "/k:1"])
        #expect(f.profile("nope") == nil)
    }

    @Test func configSectionNames() {
        #expect(SharedConfigFiles.profileName(ofConfigSection: "default") == "default")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile dev") == "dev")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile \"my profile\"") == "my profile")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile\tdev ") == "dev")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profiles dev") == "dev")       // botocore checks the prefix only
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile ''") == "")
        #expect(SharedConfigFiles.profileName(ofConfigSection: "dev") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profiledev") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile a b") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: " profile dev") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "default ") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "profile 'open") == nil)
        #expect(SharedConfigFiles.profileName(ofConfigSection: "sso-session x") == nil)
        #expect(SharedConfigFiles.kind(ofConfigSection: "sso-session \"a b\"") == .ssoSession("a b"))
        #expect(SharedConfigFiles.kind(ofConfigSection: "services local") == .services("local"))
    }

    @Test func theLastSpellingOfAConfigProfileWinsWhole() throws {
        let f = try files(config: "[profile x]\nregion = a\noutput = json\n[profile  x ]\nregion = b\n[default]\nregion = c\n[profile default]\nregion = d\n",
                          credentials: nil)
        #expect(f.profile("x")?["region"] == "b")
        #expect(f.profile("x")?["output"] == nil)
        #expect(f.profile("x")?.definitions.map(\.location) == ["/c:4"])
        #expect(f.profile("default")?["region"] == "d")
        let reversed = try files(config: "[profile default]\nregion = d\n[default]\nregion = c\n", credentials: nil)
        #expect(reversed.profile("default")?["region"] == "c")
        #expect(f.profileNames == ["x", "default"])
    }

    @Test func profileNamesAsAvailableProfiles() throws {
        let f = try files(config: "[profile b]\n[sso-session s]\n[default]\n[services v]\n[preview]\n[profile a]\n[profile b ]\n",
                          credentials: "[c]\n[a]\n[ prod ]\n[profile z]\n[DEFAULT]\nregion = x\n")
        #expect(f.profileNames == ["b", "default", "a", "c", " prod ", "profile z"])
        #expect(f.profile(" prod ")?["region"] == "x")
        #expect(f.profile("prod") == nil)
        #expect(f.ssoSessionNames == ["s"])
    }

    @Test func anEmptyNameIsNeverAProfile() throws {
        let f = try files(config: "[profile \"\"]\nregion = eu-west-1\n", credentials: nil)
        #expect(f.profileNames == [""])
        #expect(f.profile("") == nil)
        #expect(f.allProfiles.map(\.name) == [""])
    }

    @Test func defaultIsNotInheritedButDEFAULTIs() throws {
        let f = try files(config: "[default]\nregion = us-east-1\n[profile dev]\noutput = json\n[DEFAULT]\ncli_pager =\n",
                          credentials: "[DEFAULT]\naws_session_token = T\n[dev]\naws_access_key_id = A\n")
        #expect(f.profile("dev")?["region"] == nil)
        #expect(f.profile("dev")?.values["cli_pager"]?.text == "")
        #expect(f.profile("dev")?.values["aws_session_token"]?.fromDefaultSection == true)
        #expect(f.profile("dev")?.values["aws_session_token"]?.location == "/k:2")
    }
}

struct PathAndSelectionTests {
    let env = Environment(["HOME": "/home/u/", "D": "/data", "EMPTY": ""])

    @Test func pathsExpandAsBotocore() {
        #expect(PathExpansion.expand("$HOME/.aws/config", env) == "/home/u//.aws/config")
        #expect(PathExpansion.expand("${HOME}/x", env) == "/home/u//x")
        #expect(PathExpansion.expand("~/x", env) == "/home/u/x")
        #expect(PathExpansion.expand("~", env) == "/home/u")
        #expect(PathExpansion.expand("$D/$NOPE/${EMPTY}x", env) == "/data/$NOPE/x")
        #expect(PathExpansion.expand("${}$-$", env) == "${}$-$")
        #expect(PathExpansion.expand("~root/x", env) == "/root/x")
        #expect(PathExpansion.expand("~no-such-user-credctl/x", env) == "~no-such-user-credctl/x")
        #expect(PathExpansion.expand("~/x", Environment(["HOME": ""])) == "/x")
        #expect(PathExpansion.expand("~", Environment(["HOME": "/"])) == "/")
        // The result of a variable is not expanded again, but `~` from one is.
        #expect(PathExpansion.expand("$T", Environment(["T": "~/$D", "HOME": "/h", "D": "no"])) == "/h/$D")
    }

    @Test func emptyFileVariablesNameNoFile() throws {
        let paths = SharedConfigFiles.paths(Environment(["HOME": "/h", "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/c"]))
        #expect(paths.config == "")
        #expect(paths.credentials == "/h/c")
        let files = try SharedConfigFiles.load(Environment(["HOME": "/nonexistent", "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"]))
        #expect(files.config == nil && files.credentials == nil)
    }

    @Test func profileOrder() {
        #expect(ProfileSelection.resolve(flag: "a", environment: Environment(["AWS_PROFILE": "b"])) == ProfileSelection(name: "a", source: .flag))
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_PROFILE": "b", "AWS_DEFAULT_PROFILE": "c"])).name == "b")
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_PROFILE": "c"])).name == "c")
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_PROFILE": ""])) == ProfileSelection(name: "", source: .awsProfile))
        #expect(ProfileSelection.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_PROFILE": ""])) == ProfileSelection(name: "", source: .awsDefaultProfile))
        #expect(ProfileSelection.resolve(flag: "", environment: Environment()).source == .defaultName)
    }

    @Test func regionOrder() throws {
        let profile = Profile(name: "p", values: ["region": .init(text: "ap-south-1", file: "/c", line: 3)])
        let env = Environment(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"])
        #expect(try RegionResolver.resolve(flag: "us-west-2", environment: env, profile: profile)?.source == "--region")
        #expect(try RegionResolver.resolve(flag: nil, environment: env, profile: profile)?.name == "eu-west-1")
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_REGION": "eu-west-2"]), profile: profile)?.name == "eu-west-2")
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(), profile: profile) == ResolvedRegion(name: "ap-south-1", source: "profile p (/c:3)"))
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(), profile: nil) == nil)
        // A variable set to "" hides everything after it.
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(["AWS_DEFAULT_REGION": ""]), profile: profile) == nil)
        #expect(try RegionResolver.resolve(flag: nil, environment: Environment(["AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-2"]), profile: profile) == nil)
        #expect(throws: ConfigurationError.self) { try RegionResolver.resolve(flag: "Not A Region", environment: env, profile: nil) }
        let secret = Profile(name: "p", values: ["region": .init(text: "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", file: "/c", line: 3)])
        #expect(throws: ConfigurationError("region 'wJalrXUtnFEM…' from profile p (/c:3) is not a valid region name")) {
            try RegionResolver.resolve(flag: nil, environment: Environment(), profile: secret)
        }
    }
}
