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

    @Test func vaultBackendFromTheFlagThenTheVariableThenTheConfiguration() throws {
        let env = Environment(["HOME": "/h", "CREDCTL_VAULT_BACKEND": "secret-service"])
        #expect(try VaultSettings.resolve(flag: .file, environment: env)
                == VaultSettings(backend: .file, backendSource: "--backend", filePath: "/h/.aws/credctl/vault.json"))
        #expect(try VaultSettings.resolve(environment: env, configuredBackend: "file")
                == VaultSettings(backend: .secretService, backendSource: "CREDCTL_VAULT_BACKEND", filePath: "/h/.aws/credctl/vault.json"))
        let plain = Environment(["HOME": "/h", "CREDCTL_VAULT_FILE": "/v.json", "CREDCTL_VAULT_BACKEND": ""])
        #expect(try VaultSettings.resolve(environment: plain, configuredBackend: "secret-service").backendSource == "configuration")
        #expect(try VaultSettings.resolve(environment: plain) == VaultSettings(backend: .file, backendSource: "default", filePath: "/v.json"))
        #expect(throws: ConfigurationError("CREDCTL_VAULT_BACKEND=keychain is not a vault backend (file, secret-service)")) {
            try VaultSettings.resolve(environment: Environment(["CREDCTL_VAULT_BACKEND": "keychain"]))
        }
        #expect(throws: ConfigurationError("the configured vault backend 'kwallet' is not one of file, secret-service")) {
            try VaultSettings.resolve(environment: Environment(), configuredBackend: "kwallet")
        }
    }

    @Test func passphraseFromTheFlagThenTheVariablesThenTheConfigurationThenAPrompt() {
        let all = Environment(["CREDCTL_VAULT_PASSPHRASE": "from-env", "CREDCTL_VAULT_PASSPHRASE_COMMAND": "printf from-command"])
        #expect(PassphraseSetting.resolve(command: "printf flag", environment: all) == .command("printf flag"))
        #expect(PassphraseSetting.resolve(command: nil, environment: all) == .variable("from-env"))
        #expect(PassphraseSetting.resolve(command: "", environment: all) == .variable("from-env"))
        var noValue = all
        noValue.variables["CREDCTL_VAULT_PASSPHRASE"] = ""
        #expect(PassphraseSetting.resolve(command: nil, configuredCommand: "printf configured", environment: noValue) == .command("printf from-command"))
        #expect(PassphraseSetting.resolve(command: nil, configuredCommand: "printf configured", environment: Environment()) == .command("printf configured"))
        #expect(PassphraseSetting.resolve(command: nil, environment: Environment()) == .prompt)
    }

    /// The passphrase a variable gives is held, never printed: its description names the variable.
    @Test func aPassphraseSettingPrintsWhereItCameFromNotWhatItIs() {
        let setting = PassphraseSetting.variable("tr0ub4dor&3")
        #expect(setting.description == "CREDCTL_VAULT_PASSPHRASE")
        #expect(!"\(setting)".contains("tr0ub4dor") && !String(reflecting: setting).contains("tr0ub4dor"))
        #expect(PassphraseSetting.command("pass show vault").description == "passphrase command `pass show vault`")
    }

    @Test func agentSocketFromTheVariableThenTheRuntimeFolder() {
        #expect(AgentSocketPath.resolve(Environment(["CREDCTL_AGENT_SOCKET": "off", "XDG_RUNTIME_DIR": "/run/user/1"])) == nil)
        #expect(AgentSocketPath.resolve(Environment(["CREDCTL_AGENT_SOCKET": "/tmp/a.sock"])) == AgentSocketPath(path: "/tmp/a.sock", source: "CREDCTL_AGENT_SOCKET"))
        #expect(AgentSocketPath.resolve(Environment(["XDG_RUNTIME_DIR": "/run/user/1", "HOME": "/h"]))?.source == "XDG_RUNTIME_DIR")
        #expect(AgentSocketPath.resolve(Environment(["HOME": "/h"]))?.path == "/h/.aws/credctl/agent.sock")
    }
}
