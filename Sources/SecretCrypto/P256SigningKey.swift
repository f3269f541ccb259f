import CCrypto

/// An ECDSA P-256 private key and ES256 signatures (RFC 7518 §3.4: ECDSA over SHA-256, the
/// signature as `r ‖ s`, 32 bytes each), on libcrypto through the shim's DPoP block; for the
/// DPoP proofs of `aws login` sessions. The only C-facing file for that block.
///
/// The key is held as DER (SEC1 `EC PRIVATE KEY`, as the AWS CLI caches it) and decoded by
/// each call, so that no OpenSSL object outlives a call. It never prints.
public struct P256SigningKey: Sendable, CustomStringConvertible {
    public let der: [UInt8]

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a DER private key, or not on P-256.
        case notAP256Key
        case libcrypto(String)

        public var description: String {
            switch self {
            case .notAP256Key: return "not an EC private key on the P-256 curve"
            case .libcrypto(let what): return "libcrypto: \(what)"
            }
        }
    }

    /// `der` must be a P-256 private key (SEC1 or PKCS#8).
    public init(der: [UInt8]) throws(Failure) {
        let ok = der.withUnsafeBufferPointer { credctl_p256_check($0.baseAddress, $0.count) }
        guard ok == 1 else { throw .notAP256Key }
        self.der = der
    }

    /// A new key from libcrypto's generator, as SEC1 DER.
    public static func generate() throws(Failure) -> P256SigningKey {
        var out = [UInt8](repeating: 0, count: 512)
        var length = out.count
        let ok = out.withUnsafeMutableBufferPointer { credctl_p256_generate($0.baseAddress, &length) }
        guard ok == 1 else { throw .libcrypto("EVP_EC_gen(P-256) failed") }
        return try P256SigningKey(der: Array(out[..<length]))
    }

    /// The public point's coordinates, 32 bytes each (the `x` and `y` of a JWK).
    public func publicCoordinates() throws(Failure) -> (x: [UInt8], y: [UInt8]) {
        var x = [UInt8](repeating: 0, count: 32)
        var y = [UInt8](repeating: 0, count: 32)
        let ok = der.withUnsafeBufferPointer { key in
            x.withUnsafeMutableBufferPointer { xs in
                y.withUnsafeMutableBufferPointer { ys in credctl_p256_public(key.baseAddress, key.count, xs.baseAddress, ys.baseAddress) }
            }
        }
        guard ok == 1 else { throw .libcrypto("cannot read the public key") }
        return (x, y)
    }

    /// The ES256 signature of `message`: 64 bytes, `r ‖ s`.
    public func sign(_ message: [UInt8]) throws(Failure) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: 64)
        let ok = der.withUnsafeBufferPointer { key in
            message.withUnsafeBytes { m in
                signature.withUnsafeMutableBufferPointer { s in
                    credctl_p256_sign(key.baseAddress, key.count, m.baseAddress, m.count, s.baseAddress)
                }
            }
        }
        guard ok == 1 else { throw .libcrypto("ECDSA signing failed") }
        return signature
    }

    /// True when `signature` (`r ‖ s`) is the ES256 signature of `message` by the public key (x, y).
    public static func verify(signature: [UInt8], of message: [UInt8], x: [UInt8], y: [UInt8]) -> Bool {
        guard signature.count == 64, x.count == 32, y.count == 32 else { return false }
        return x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                message.withUnsafeBytes { m in
                    signature.withUnsafeBufferPointer { s in
                        credctl_p256_verify(xs.baseAddress, ys.baseAddress, m.baseAddress, m.count, s.baseAddress) == 1
                    }
                }
            }
        }
    }

    public var description: String { "P256SigningKey(not shown)" }
}
