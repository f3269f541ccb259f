import CCrypto

/// AES-256-GCM, scrypt and random bytes on OpenSSL's libcrypto (through the shim's vault
/// block), for the vault and the credentials server. The only file of this module that
/// touches C.
public enum SecretCrypto {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    public enum Failure: Error, Sendable, Equatable {
        /// libcrypto refused (out of memory, parameters it does not accept).
        case libcrypto(String)
        /// The tag did not match: a wrong key, or bytes changed since they were sealed.
        case authenticationFailed
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { credctl_random_bytes($0.baseAddress, $0.count) }
        guard ok == 1 else { throw .libcrypto("RAND_bytes failed") }
        return out
    }

    /// Overwrites `bytes` with zeros in a way the compiler does not remove (`OPENSSL_cleanse`).
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { credctl_wipe($0.baseAddress, $0.count) }
    }

    /// The scrypt (RFC 7914) key of `passphrase`; `maxMemory` bounds what libcrypto may allocate.
    public static func scrypt(passphrase: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64,
                              maxMemory: UInt64, length: Int = keyLength) throws(Failure) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        let ok = passphrase.withUnsafeBytes { pass in
            salt.withUnsafeBufferPointer { s in
                key.withUnsafeMutableBufferPointer { k in
                    credctl_scrypt(pass.baseAddress, pass.count, s.baseAddress, s.count, n, r, p, maxMemory, k.baseAddress, k.count)
                }
            }
        }
        guard ok == 1 else { throw .libcrypto("EVP_PBE_scrypt refused N=\(n) r=\(r) p=\(p)") }
        return key
    }

    /// A sealed message: the nonce it was sealed with, the ciphertext and the tag.
    public struct Sealed: Sendable, Equatable {
        public var nonce: [UInt8]
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// `nonce ‖ ciphertext ‖ tag`, as stored.
        public var combined: [UInt8] { nonce + ciphertext + tag }

        /// Splits `nonce ‖ ciphertext ‖ tag`; nil when too short to hold a nonce and a tag.
        public init?(combined bytes: [UInt8]) {
            guard bytes.count >= SecretCrypto.nonceLength + SecretCrypto.tagLength else { return nil }
            nonce = Array(bytes[..<SecretCrypto.nonceLength])
            ciphertext = Array(bytes[SecretCrypto.nonceLength..<(bytes.count - SecretCrypto.tagLength)])
            tag = Array(bytes[(bytes.count - SecretCrypto.tagLength)...])
        }
    }

    /// AES-256-GCM under `key` with a fresh random 12-byte nonce; `associatedData` is
    /// authenticated, not encrypted.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8]) throws(Failure) -> Sealed {
        guard key.count == keyLength else { throw .libcrypto("an AES-256 key is 32 bytes, not \(key.count)") }
        let nonce = try randomBytes(nonceLength)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: tagLength)
        let ok = key.withUnsafeBufferPointer { k in
            nonce.withUnsafeBufferPointer { n in
                associatedData.withUnsafeBytes { ad in
                    plaintext.withUnsafeBytes { pt in
                        ciphertext.withUnsafeMutableBufferPointer { ct in
                            tag.withUnsafeMutableBufferPointer { t in
                                credctl_aes256gcm_seal(k.baseAddress, n.baseAddress, ad.baseAddress, ad.count,
                                                       pt.baseAddress, pt.count, ct.baseAddress, t.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw .libcrypto("AES-256-GCM encryption failed") }
        return Sealed(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// The plaintext of `sealed`, or `.authenticationFailed` when the key, the associated data
    /// or any sealed byte differs from when it was sealed.
    public static func open(_ sealed: Sealed, key: [UInt8], associatedData: [UInt8]) throws(Failure) -> [UInt8] {
        guard key.count == keyLength, sealed.nonce.count == nonceLength, sealed.tag.count == tagLength else {
            throw .authenticationFailed
        }
        var plaintext = [UInt8](repeating: 0, count: sealed.ciphertext.count)
        let ok = key.withUnsafeBufferPointer { k in
            sealed.nonce.withUnsafeBufferPointer { n in
                associatedData.withUnsafeBytes { ad in
                    sealed.ciphertext.withUnsafeBufferPointer { ct in
                        sealed.tag.withUnsafeBufferPointer { t in
                            plaintext.withUnsafeMutableBufferPointer { pt in
                                credctl_aes256gcm_open(k.baseAddress, n.baseAddress, ad.baseAddress, ad.count,
                                                       ct.baseAddress, ct.count, t.baseAddress, pt.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw .authenticationFailed }
        return plaintext
    }

    /// Compares without stopping at the first difference, so the time taken says nothing about
    /// where two tokens differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
