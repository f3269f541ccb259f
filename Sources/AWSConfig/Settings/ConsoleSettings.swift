import AWSCore

/// `credctl console`'s sign-in page: how long it stays (`CREDCTL_CONSOLE_PAGE_SECONDS`, 1 to
/// 3600, else 60) and where it is written (`$XDG_RUNTIME_DIR/credctl`, a per-user tmpfs, else
/// credctl's state folder's `console`).
public struct ConsoleSettings: Sendable, Equatable {
    public var pageSeconds: Int
    public var pageFolder: String
    public var browser: BrowserSettings

    public init(pageSeconds: Int, pageFolder: String, browser: BrowserSettings) {
        self.pageSeconds = pageSeconds
        self.pageFolder = pageFolder
        self.browser = browser
    }

    /// `CREDCTL_FEDERATION_ENDPOINT`, the federation endpoint's override (tests, proxies), as given.
    public static func federationEndpointOverride(_ env: Environment) -> String? {
        env.nonEmpty(SettingNames.federationEndpoint)
    }

    public static func resolve(_ env: Environment) throws(ConfigurationError) -> ConsoleSettings {
        var seconds = 60
        if let text = env.nonEmpty(SettingNames.consolePageSeconds) {
            guard let n = Int(text), (1...3600).contains(n) else {
                throw ConfigurationError("\(SettingNames.consolePageSeconds) must be a whole number of seconds from 1 to 3600")
            }
            seconds = n
        }
        let folder = env.nonEmpty("XDG_RUNTIME_DIR").map { $0 + "/credctl" } ?? StatePaths.directory(env) + "/console"
        return ConsoleSettings(pageSeconds: seconds, pageFolder: folder, browser: .resolve(env))
    }
}
