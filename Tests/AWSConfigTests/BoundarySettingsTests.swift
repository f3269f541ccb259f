import Testing
import AWSCore
@testable import AWSConfig

/// The settings resolved in AWSConfig for the workflows that used to read variables themselves.
struct BoundarySettingsTests {
    @Test func statePathsInOnePlace() {
        let home = StatePaths.resolve(Environment(["HOME": "/h"]))
        #expect(home == StatePaths(state: "/h/.aws/credctl", credentialCache: "/h/.aws/credctl/cache", vaultFile: "/h/.aws/credctl/vault.json",
                                   ssoCache: "/h/.aws/sso/cache", cliCache: "/h/.aws/cli/cache"))
        let set = StatePaths.resolve(Environment(["HOME": "/h", "CREDCTL_STATE_DIR": "/s", "CREDCTL_CACHE_DIR": "/c", "CREDCTL_VAULT_FILE": "/v.json"]))
        #expect(set.state == "/s" && set.credentialCache == "/c" && set.vaultFile == "/v.json")
    }

    @Test func consolePageSecondsAndFolder() throws {
        let plain = try ConsoleSettings.resolve(Environment(["HOME": "/h", "PATH": "/bin"]))
        #expect(plain.pageSeconds == 60 && plain.pageFolder == "/h/.aws/credctl/console" && plain.browser.searchPath == "/bin")
        let runtime = try ConsoleSettings.resolve(Environment(["HOME": "/h", "XDG_RUNTIME_DIR": "/run/user/1", "CREDCTL_CONSOLE_PAGE_SECONDS": "5"]))
        #expect(runtime.pageSeconds == 5 && runtime.pageFolder == "/run/user/1/credctl")
        #expect(runtime.browser.searchPath == BrowserSettings.defaultSearchPath)
        for bad in ["0", "3601", "1m", "-1"] {
            #expect(throws: ConfigurationError("CREDCTL_CONSOLE_PAGE_SECONDS must be a whole number of seconds from 1 to 3600")) {
                try ConsoleSettings.resolve(Environment(["CREDCTL_CONSOLE_PAGE_SECONDS": bad]))
            }
        }
    }

    @Test func aDesktopNeedsADisplay() {
        #if !os(macOS)
        #expect(!BrowserSettings.resolve(Environment([:])).hasDesktop)
        #expect(BrowserSettings.resolve(Environment(["DISPLAY": ":0"])).hasDesktop)
        #expect(BrowserSettings.resolve(Environment(["WAYLAND_DISPLAY": "wayland-0"])).hasDesktop)
        #expect(!BrowserSettings.resolve(Environment(["DISPLAY": ""])).hasDesktop)
        #endif
    }

    @Test func outputFromTheVariableThenTheProfile() throws {
        let profile = try INIFile(parsing: "[default]\noutput = json\n", path: "/c")
        let files = SharedConfigFiles(configPath: "/c", credentialsPath: "/k", config: profile, credentials: nil)
        #expect(OutputSetting.resolve(environment: Environment(["AWS_DEFAULT_OUTPUT": "text"]), profile: files.profile("default"))
                == OutputSetting(value: "text", source: "AWS_DEFAULT_OUTPUT"))
        #expect(OutputSetting.resolve(environment: Environment(), profile: files.profile("default"))
                == OutputSetting(value: "json", source: "output of profile default (/c:2)"))
        #expect(OutputSetting.resolve(environment: Environment(), profile: nil) == nil)
    }

    @Test func execParameterAndFederationSettings() {
        let env = Environment(["CREDCTL_PROFILE": "outer", "SHELL": "/bin/zsh", "CREDCTL_PARAMS_PREFIX": "/app", "CREDCTL_PARAMS_ENV": "",
                               "CREDCTL_FEDERATION_ENDPOINT": "http://127.0.0.1:1/federation"])
        #expect(ExecSettings.resolve(env) == ExecSettings(outerProfile: "outer", shell: "/bin/zsh"))
        #expect(ExecSettings.resolve(Environment()) == ExecSettings(outerProfile: nil, shell: nil))
        #expect(ParameterSettings.resolve(env) == ParameterSettings(prefix: "/app", env: nil))
        #expect(ConsoleSettings.federationEndpointOverride(env) == "http://127.0.0.1:1/federation")
    }
}
