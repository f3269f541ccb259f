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
