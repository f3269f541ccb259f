import AWSCore
import SigV4

/// A resolved credential set: the keys, when they expire, and where they came from.
public struct Credentials: Sendable, CustomStringConvertible {
    public var signing: SigningCredentials
    /// Seconds since 1970; nil for long-term keys.
    public var expiration: Int?
    public var provenance: Provenance
    /// The account the credentials belong to, when their source says (botocore's
    /// `Credentials.account_id`): `AWS_ACCOUNT_ID`, a profile's `aws_account_id`, `AccountId`
    /// of `credential_process` or the container endpoint, the role of an assumed role, the SSO
    /// profile's `sso_account_id`. Nil otherwise (instance metadata, the vault). See `AccountID`.
    public var accountId: String?

    public init(signing: SigningCredentials, expiration: Int? = nil, provenance: Provenance, accountId: String? = nil) {
        self.signing = signing
        self.expiration = expiration
        self.provenance = provenance
        self.accountId = accountId
    }

    public var accessKeyId: String { signing.accessKeyId }

    /// What the key id's prefix says.
    public var keyType: KeyType { KeyType(accessKeyId: signing.accessKeyId) }

    public var description: String {
        "Credentials(\(Redaction.keyId(accessKeyId)) from \(provenance.provider.rawValue))"
    }
}

/// Where credentials came from, for `whoami` and `doctor`.
public struct Provenance: Sendable, Equatable {
    /// The providers in botocore's order.
    public enum Provider: String, Sendable {
        case environment = "environment"
        case assumeRole = "assume-role"
        case webIdentity = "web-identity"
        case sso = "sso"
        case sharedCredentialsFile = "shared-credentials-file"
        case process = "credential-process"
        case configFile = "config-file"
        case container = "container"
        case instanceMetadata = "instance-metadata"
        case vault = "vault"
    }

    public var provider: Provider
    /// The profile whose settings were used, if any.
    public var profile: String?
    /// The file (and line) the keys were read from, if any.
    public var location: String?
    /// The precedence rule that decided, in words (e.g. "environment keys win over AWS_PROFILE=dev").
    public var rule: String?
    /// For assumed roles, each step from the first credentials to the final role:
    /// `profile base: shared-credentials-file (…:3)`, `arn:aws:iam::…:role/a (profile a)`, ….
    public var roleChain: [String]
    /// True when the credentials came from credctl's cache rather than a fresh call.
    public var fromCache: Bool
    /// For IAM Identity Center credentials: the session, account, role and token.
    public var sso: SSOProvenance?

    public init(provider: Provider, profile: String? = nil, location: String? = nil, rule: String? = nil,
                roleChain: [String] = [], fromCache: Bool = false, sso: SSOProvenance? = nil) {
        self.provider = provider
        self.profile = profile
        self.location = location
        self.rule = rule
        self.roleChain = roleChain
        self.fromCache = fromCache
        self.sso = sso
    }

    /// `provider, profile P (FILE:LINE)` in words.
    public var summary: String {
        var text = provider.rawValue
        if let profile { text += ", profile \(profile)" }
        if let location { text += " (\(location))" }
        return text
    }
}

/// Where IAM Identity Center credentials came from.
public struct SSOProvenance: Sendable, Equatable {
    /// The `[sso-session]` name; nil for a legacy profile.
    public var sessionName: String?
    public var startURL: String
    /// `sso_region`.
    public var region: String
    public var accountId: String
    public var roleName: String
    /// When the access token expires (seconds since 1970); nil when it was not read (cached
    /// role credentials served, and no readable token file).
    public var tokenExpiration: Int?
    /// True when the token was refreshed for this resolution.
    public var tokenRefreshed: Bool

    public init(sessionName: String?, startURL: String, region: String, accountId: String, roleName: String,
                tokenExpiration: Int?, tokenRefreshed: Bool) {
        self.sessionName = sessionName
        self.startURL = startURL
        self.region = region
        self.accountId = accountId
        self.roleName = roleName
        self.tokenExpiration = tokenExpiration
        self.tokenRefreshed = tokenRefreshed
    }
}
