import AWSCore

/// Opening the verification page of `sso login` in the user's browser: only on a desktop
/// (macOS, or `DISPLAY` / `WAYLAND_DISPLAY` set), only `https`/`http` URLs, with `xdg-open`
/// (`open` on macOS) started detached (`ChildProcess.spawnDetached`), its input and output on `/dev/null`, never waited for.
public enum SSOBrowser {
    public static func isDesktop(_ env: Environment) -> Bool {
        #if os(macOS)
        return true
        #else
        return env.nonEmpty("DISPLAY") != nil || env.nonEmpty("WAYLAND_DISPLAY") != nil
        #endif
    }

    /// True when the opener was started.
    public static func open(_ url: String, environment env: Environment) -> Bool {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { return false }
        #if os(macOS)
        let opener = "open"
        #else
        let opener = "xdg-open"
        #endif
        guard let path = Subprocess.executablePath(opener, searchPath: env.nonEmpty("PATH") ?? "/usr/local/bin:/usr/bin:/bin") else { return false }
        // The one way credctl starts a process it does not wait for (its own session, streams on
        // /dev/null, no variable of the vault in its environment).
        do { try ChildProcess.spawnDetached([path, url], environment: env.variables) } catch { return false }
        return true
    }
}
