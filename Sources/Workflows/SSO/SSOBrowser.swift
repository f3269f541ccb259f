#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore

/// Opening the verification page of `sso login` in the user's browser: only on a desktop
/// (macOS, or `DISPLAY` / `WAYLAND_DISPLAY` set), only `https`/`http` URLs, with `xdg-open`
/// (`open` on macOS) started detached, its input and output on `/dev/null`, never waited for.
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [strdup(path), strdup(url)]
        let envp = ChildEnvironment.scrubbed(env.variables).map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        return posix_spawn(&pid, path, &actions, nil, argv + [nil], envp + [nil]) == 0
    }
}
