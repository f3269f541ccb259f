import AWSCore
import SigV4

/// A resolved credential set: the keys, when they expire, and where they came from.
public struct Credentials: Sendable, CustomStringConvertible {
    public var signing: SigningCredentials
    /// Seconds since 1970; nil for long-term keys.
    public var expiration: Int?
    public var provenance: Provenance

    public init(signing: SigningCredentials, expiration: Int? = nil, provenance: Provenance) {
        self.signing = signing
        self.expiration = expiration
        self.provenance = provenance
    }

    public var accessKeyId: String { signing.accessKeyId }

    /// What the key id's prefix says.
    public var keyType: KeyType { KeyType(accessKeyId: signing.accessKeyId) }

    public var description: String {
        "Credentials(\(Redaction.keyId(accessKeyId)) from \(provenance.provider.rawValue))"
    }
}
