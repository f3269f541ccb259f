import AWSCore

/// What opening a browser needs from the environment: whether there is a desktop to open it on
/// (macOS, or `DISPLAY` / `WAYLAND_DISPLAY` set) and the search path for the opener (`PATH`).
public struct BrowserSettings: Sendable, Equatable {
    public var hasDesktop: Bool
    public var searchPath: String

    public init(hasDesktop: Bool, searchPath: String) {
        self.hasDesktop = hasDesktop
        self.searchPath = searchPath
    }

    public static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    public static func resolve(_ env: Environment) -> BrowserSettings {
        #if os(macOS)
        let desktop = true
        #else
        let desktop = env.nonEmpty("DISPLAY") != nil || env.nonEmpty("WAYLAND_DISPLAY") != nil
        #endif
        return BrowserSettings(hasDesktop: desktop, searchPath: env.nonEmpty("PATH") ?? defaultSearchPath)
    }
}
