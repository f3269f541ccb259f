import AWSCore
import SecretCrypto

/// A DPoP proof (RFC 9449) for one request to the sign-in service, built as botocore's
/// `_build_dpop_header` builds it: a JWT whose header names ES256 and carries the public key as
/// a JWK, whose payload is the method, the URL, the time and a fresh UUID, signed with the
/// session's P-256 key. The service binds the refresh token to that key, so only the holder of
/// the cache file's key can refresh.
public enum DPoPProof {
    /// `header.payload.signature`, each part base64url without padding; the JSON compact with
    /// members in botocore's order.
    public static func make(key: P256SigningKey, method: String = "POST", url: String, issuedAt: Int,
                            id: String) throws(P256SigningKey.Failure) -> String {
        let (x, y) = try key.publicCoordinates()
        let header = JSONValue.object([
            ("typ", .string("dpop+jwt")), ("alg", .string("ES256")),
            ("jwk", .object([("kty", .string("EC")), ("x", .string(Base64.encodeURL(x))), ("y", .string(Base64.encodeURL(y))),
                             ("crv", .string("P-256"))])),
        ])
        let payload = JSONValue.object([("htm", .string(method)), ("htu", .string(url)), ("iat", .number(issuedAt)), ("jti", .string(id))])
        let signingInput = Base64.encodeURL(Array(header.serialized().utf8)) + "." + Base64.encodeURL(Array(payload.serialized().utf8))
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64.encodeURL(signature)
    }

    /// A random (version 4) UUID in its usual text form, for `jti`.
    public static func newId() throws(SecretCrypto.Failure) -> String {
        var b = try SecretCrypto.randomBytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let h = Array(hex)
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
