import AWSCore

/// A setting's value and where it came from: a variable's name, or `FILE:LINE`.
public struct SourcedValue: Sendable, Equatable {
    public var value: String
    public var source: String

    public init(_ value: String, source: String) {
        self.value = value
        self.source = source
    }

    /// True when it came from an environment variable rather than a file.
    public var isFromEnvironment: Bool { source.hasPrefix("AWS_") }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (the legacy
/// `AWS_SECURITY_TOKEN` read first, as botocore does), `AWS_CREDENTIAL_EXPIRATION` and
/// `AWS_ACCOUNT_ID`; empty variables count as unset.
public struct EnvironmentKeySettings: Sendable, Equatable {
    public var accessKeyId: String?
    public var secretAccessKey: String?
    public var sessionToken: String?
    public var expiration: String?
    public var accountId: String?

    public init(accessKeyId: String? = nil, secretAccessKey: String? = nil, sessionToken: String? = nil, expiration: String? = nil,
                accountId: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.accountId = accountId
    }

    public static func resolve(_ env: Environment) -> EnvironmentKeySettings {
        EnvironmentKeySettings(accessKeyId: env.nonEmpty(SettingNames.accessKeyId),
                               secretAccessKey: env.nonEmpty(SettingNames.secretAccessKey),
                               sessionToken: env.nonEmpty(SettingNames.securityToken) ?? env.nonEmpty(SettingNames.sessionToken),
                               expiration: env.nonEmpty(SettingNames.credentialExpiration),
                               accountId: env.nonEmpty(SettingNames.accountId))
    }
}

/// Web identity: `AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN`/`AWS_ROLE_SESSION_NAME` or the
/// profile's `web_identity_token_file`/`role_arn`/`role_session_name`, each variable winning
/// over its setting even when empty (botocore). Without an environment: the profile only.
public struct WebIdentitySettings: Sendable, Equatable {
    public var profile: String
    public var tokenFile: SourcedValue?
    public var roleArn: SourcedValue?
    public var sessionName: SourcedValue?
    /// Whether the variables were looked at (not with `--profile`, nor for a source profile).
    public var usesEnvironment: Bool

    public init(profile: String, tokenFile: SourcedValue? = nil, roleArn: SourcedValue? = nil, sessionName: SourcedValue? = nil,
                usesEnvironment: Bool = false) {
        self.profile = profile
        self.tokenFile = tokenFile
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.usesEnvironment = usesEnvironment
    }

    public static func resolve(environment env: Environment?, profileName: String, profile: Profile?) -> WebIdentitySettings {
        func setting(_ key: String, _ variable: String) -> SourcedValue? {
            if let env, let v = env[variable] { return SourcedValue(v, source: variable) }
            if let v = profile?.values[key] { return SourcedValue(v.text, source: v.location) }
            return nil
        }
        typealias K = SettingNames.ProfileKey
        return WebIdentitySettings(profile: profileName, tokenFile: setting(K.webIdentityTokenFile, SettingNames.webIdentityTokenFile),
                                   roleArn: setting(K.roleArn, SettingNames.roleArn),
                                   sessionName: setting(K.roleSessionName, SettingNames.roleSessionName), usesEnvironment: env != nil)
    }

    /// The token file's path, a leading `~` expanded against `HOME` of `env` (the run's, also for
    /// a source profile, whose settings are read without the variables).
    public func tokenPath(_ env: Environment) -> String? {
        tokenFile.map { LocalFile.expandTilde($0.value, env) }
    }
}

/// The ECS/EKS container endpoint variables.
public struct ContainerSettings: Sendable, Equatable {
    public var relativeURI: String?
    public var fullURI: String?
    public var tokenFile: String?
    public var token: String?

    public init(relativeURI: String? = nil, fullURI: String? = nil, tokenFile: String? = nil, token: String? = nil) {
        self.relativeURI = relativeURI
        self.fullURI = fullURI
        self.tokenFile = tokenFile
        self.token = token
    }

    public static func resolve(_ env: Environment) -> ContainerSettings {
        ContainerSettings(relativeURI: env[SettingNames.containerRelativeURI], fullURI: env[SettingNames.containerFullURI],
                          tokenFile: env.nonEmpty(SettingNames.containerTokenFile), token: env[SettingNames.containerToken])
    }
}

/// A profile's `credential_process`, and how deep in nested processes this run is.
public struct ProcessSettings: Sendable, Equatable {
    public var profile: String
    public var command: SourcedValue?
    public var depth: Int
    /// The profile's `aws_account_id`, used when the output has no `AccountId` (botocore).
    public var accountId: String?

    public init(profile: String, command: SourcedValue?, depth: Int, accountId: String? = nil) {
        self.profile = profile
        self.command = command
        self.depth = depth
        self.accountId = accountId
    }

    public static func resolve(profileName: String, profile: Profile?, environment env: Environment) -> ProcessSettings {
        let command = profile?.values[SettingNames.ProfileKey.credentialProcess].flatMap {
            $0.text.isEmpty ? nil : SourcedValue($0.text, source: $0.location)
        }
        let depth = env[SettingNames.processDepth].flatMap { Int($0) }.map { max(0, $0) } ?? 0
        return ProcessSettings(profile: profileName, command: command, depth: depth,
                               accountId: profile?.values[SettingNames.ProfileKey.accountId]?.text)
    }
}
