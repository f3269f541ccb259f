import AWSConfig
import AWSCore

/// Where relative parameter names live: `--prefix /ELASMETRICS --env STAGING` (or
/// `CREDCTL_PARAMS_PREFIX` and `CREDCTL_PARAMS_ENV`) make `MYSQL/PASSWORD` stand for
/// `/ELASMETRICS/STAGING/MYSQL/PASSWORD`. Names starting with `/` are always taken as they are.
public struct ParameterRoot: Sendable, Equatable {
    public static let prefixVariable = SettingNames.paramsPrefix
    public static let envVariable = SettingNames.paramsEnvironment

    /// `/ELASMETRICS/STAGING`, or nil when neither a prefix nor an environment is set.
    public let path: String?

    public init(prefix: String?, env: String?) {
        let levels = [prefix, env].compactMap { $0 }.flatMap { $0.split(separator: "/").map(String.init) }
        path = levels.isEmpty ? nil : "/" + levels.joined(separator: "/")
    }

    /// Flags first, then the environment variables.
    public static func resolve(prefix: String?, env: String?, environment: Environment) -> ParameterRoot {
        let settings = ParameterSettings.resolve(environment)
        return ParameterRoot(prefix: prefix ?? settings.prefix, env: env ?? settings.env)
    }

    /// The full name for `name`: under the root when `name` is relative and a root is set.
    public func fullName(_ name: String) -> String {
        guard !name.hasPrefix("/"), let path else { return name }
        return name.isEmpty ? path : path + "/" + name
    }

    /// The full path for `path`; `.` or nothing is the root itself.
    public func fullPath(_ path: String) -> String {
        if path == "." || path.isEmpty { return self.path ?? "/" }
        return fullName(path)
    }

    /// The full name of `relative` under `path`: `C/D` under `/A/B` or `/A/B/` is `/A/B/C/D`.
    public static func name(_ relative: String, under path: String) -> String {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return base + "/" + relative
    }

    /// `name` relative to `path`: `/A/B/C/D` under `/A/B` is `C/D`.
    public static func relativeName(_ name: String, under path: String) -> String {
        let base = path.hasSuffix("/") ? path : path + "/"
        return name.hasPrefix(base) ? String(name.dropFirst(base.count)) : name
    }
}
