import AWSCore

/// What a `login_session` profile (written by `aws login` or `credctl login`) needs, resolved
/// as botocore resolves it: the profile's `login_session` (present, even empty, is enough for
/// botocore's `LoginProvider` to take the profile), and the folder of the session caches,
/// `AWS_LOGIN_CACHE_DIRECTORY` when the variable is set (expanded as botocore expands it:
/// `$VAR`, then `~`), else `~/.aws/login/cache`.
public struct LoginSessionSettings: Sendable, Equatable {
    public var profile: String
    /// The session's name (the ARN of the signed-in principal) and where it is set.
    public var session: SourcedValue?
    public var cacheDirectory: String

    public init(profile: String, session: SourcedValue?, cacheDirectory: String) {
        self.profile = profile
        self.session = session
        self.cacheDirectory = cacheDirectory
    }

    public static let cacheDirectoryVariable = "AWS_LOGIN_CACHE_DIRECTORY"
    public static let profileKey = "login_session"

    public static func cacheDirectory(_ env: Environment) -> String {
        PathExpansion.expand(env[cacheDirectoryVariable] ?? "~/.aws/login/cache", env)
    }

    public static func resolve(environment env: Environment, profileName: String, profile: Profile?) -> LoginSessionSettings {
        LoginSessionSettings(profile: profileName,
                             session: profile?.values[profileKey].map { SourcedValue($0.text, source: $0.location) },
                             cacheDirectory: cacheDirectory(env))
    }
}
