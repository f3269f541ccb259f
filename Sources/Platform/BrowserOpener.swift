/// The one way credctl opens something in the user's browser: `xdg-open` (`open` on macOS),
/// looked up on the search path it is given.
public enum BrowserOpener {
    #if os(macOS)
    public static let program = "open"
    #else
    public static let program = "xdg-open"
    #endif

    /// The opener's path on `searchPath`, nil when there is none.
    public static func path(searchPath: String) -> String? {
        Subprocess.executablePath(program, searchPath: searchPath)
    }

    /// Starts the opener on `target` and does not wait (its streams on `/dev/null`, in a session
    /// of its own, without the variables no child gets, as every `ChildProcess`); false when
    /// there is no opener or it could not be started.
    public static func start(_ target: String, searchPath: String, environment: [String: String]) -> Bool {
        guard let opener = path(searchPath: searchPath) else { return false }
        do { try ChildProcess.spawnDetached([opener, target], environment: environment) } catch { return false }
        return true
    }
}
