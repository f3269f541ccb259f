import AWSConfig
import AWSCore

/// Opening the verification page of `sso login` in the user's browser: only on a desktop
/// (`BrowserSettings.hasDesktop`), only `https`/`http` URLs, with the one `BrowserOpener`,
/// started detached and never waited for.
public enum SSOBrowser {
    public static func isDesktop(_ env: Environment) -> Bool { BrowserSettings.resolve(env).hasDesktop }

    /// True when the opener was started.
    public static func open(_ url: String, environment env: Environment) -> Bool {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { return false }
        return BrowserOpener.start(url, searchPath: BrowserSettings.resolve(env).searchPath, environment: env.variables)
    }
}
