import AWSCore
import SigV4

/// Where a client gets the keys it signs with, each time it signs: fixed keys (a key just made,
/// a source profile's), or resolved credentials that are refreshed before they expire.
public protocol SigningKeySource: Sendable {
    func signingCredentials() throws(AWSError) -> SigningCredentials
}

/// The same keys every time.
public struct FixedSigningKeys: SigningKeySource {
    public let credentials: SigningCredentials

    public init(_ credentials: SigningCredentials) { self.credentials = credentials }

    public func signingCredentials() throws(AWSError) -> SigningCredentials { credentials }
}
