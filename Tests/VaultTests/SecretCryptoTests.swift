import Testing
import SigV4
@testable import SecretCrypto

struct SecretCryptoTests {
    func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.filter { !$0.isWhitespace })
        while chars.count >= 2 { out.append(UInt8(String(chars[0...1]), radix: 16)!); chars.removeFirst(2) }
        return out
    }

    @Test func scryptMatchesRFC7914() throws {
        // RFC 7914, section 12: the first and second test vectors.
        let empty = try SecretCrypto.scrypt(passphrase: [], salt: [], n: 16, r: 1, p: 1, maxMemory: 1 << 20, length: 64)
        #expect(empty == hex("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"))
        let nacl = try SecretCrypto.scrypt(passphrase: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16,
                                           maxMemory: 32 << 20, length: 64)
        #expect(nacl == hex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"))
    }

    @Test func scryptRefusesMoreMemoryThanAllowed() {
        #expect(throws: SecretCrypto.Failure.self) {
            try SecretCrypto.scrypt(passphrase: [1], salt: [2], n: 1 << 16, r: 8, p: 1, maxMemory: 32 << 20)
        }
    }

    @Test func gcmOpensTheStandardTestVector() throws {
        // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14 (AES-256).
        let sealed = SecretCrypto.Sealed(nonce: [UInt8](repeating: 0, count: 12), ciphertext: hex("cea7403d4d606b6e074ec5d3baf39d18"),
                                         tag: hex("d0d1c8a799996bf0265b98b5d48ab919"))
        #expect(try SecretCrypto.open(sealed, key: [UInt8](repeating: 0, count: 32), associatedData: []) == [UInt8](repeating: 0, count: 16))
        // Test case 13: empty plaintext, only the tag.
        let empty = SecretCrypto.Sealed(nonce: [UInt8](repeating: 0, count: 12), ciphertext: [], tag: hex("530f8afbc74536b9a963b4f1c4cb738b"))
        #expect(try SecretCrypto.open(empty, key: [UInt8](repeating: 0, count: 32), associatedData: []) == [])
    }

    @Test func sealOpenRoundTripAndEveryChangeFails() throws {
        let key = try SecretCrypto.randomBytes(32)
        let message = Array("the secret access key".utf8)
        let ad = Array("profile prod, version 1".utf8)
        let sealed = try SecretCrypto.seal(message, key: key, associatedData: ad)
        #expect(sealed.nonce.count == 12 && sealed.tag.count == 16 && sealed.ciphertext.count == message.count)
        #expect(sealed.ciphertext != message)
        #expect(try SecretCrypto.open(sealed, key: key, associatedData: ad) == message)
        #expect(SecretCrypto.Sealed(combined: sealed.combined) == sealed)

        var flippedCiphertext = sealed
        flippedCiphertext.ciphertext[3] ^= 1
        var flippedTag = sealed
        flippedTag.tag[15] ^= 0x80
        var flippedNonce = sealed
        flippedNonce.nonce[0] ^= 1
        var otherKey = key
        otherKey[31] ^= 1
        for (s, k, a) in [(flippedCiphertext, key, ad), (flippedTag, key, ad), (flippedNonce, key, ad), (sealed, otherKey, ad),
                          (sealed, key, Array("profile prod, version 2".utf8))] {
            #expect(throws: SecretCrypto.Failure.authenticationFailed) { try SecretCrypto.open(s, key: k, associatedData: a) }
        }
        // Two seals of one message differ: each draws its own nonce.
        #expect(try SecretCrypto.seal(message, key: key, associatedData: ad).combined != sealed.combined)
    }

    @Test func randomBytesAndWipe() throws {
        let a = try SecretCrypto.randomBytes(32), b = try SecretCrypto.randomBytes(32)
        #expect(a.count == 32 && a != b)
        var secret = Array("hunter2".utf8)
        SecretCrypto.wipe(&secret)
        #expect(secret == [UInt8](repeating: 0, count: 7))
        #expect(SecretCrypto.constantTimeEqual([1, 2, 3], [1, 2, 3]) && !SecretCrypto.constantTimeEqual([1, 2, 3], [1, 2, 4])
                && !SecretCrypto.constantTimeEqual([1], [1, 2]))
    }
}
