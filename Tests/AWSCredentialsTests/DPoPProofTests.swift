import AWSCore
import Foundation
import SecretCrypto
import Testing
@testable import AWSCredentials

/// ES256 on libcrypto and the DPoP proof, against values made by `cryptography` and by
/// botocore's own `_build_dpop_header` (awscrt) for the same key, URL, time and id.
struct DPoPProofTests {
    /// A P-256 key made with `cryptography` for these tests (SEC1 PEM, as awscrt writes it), and its public point.
    static let pem = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIEqB7VNX9fjb9gGPCPXAT6J+Vx7Ts9UBGIAJrDt7yT/YoAoGCCqGSM49
        AwEHoUQDQgAE4MX9O4mvrP/7Bc4UXH+v9xoSBCXnXCxwuVIutnQ21joO9a7rLah8
        640w4AKfpk3/EW/AjcawXGYhLNk/sKgJLA==
        -----END EC PRIVATE KEY-----

        """
    static let x = "e0c5fd3b89afacfffb05ce145c7faff71a120425e75c2c70b9522eb67436d63a"
    static let y = "0ef5aeeb2da87ceb8d30e0029fa64dff116fc08dc6b05c66212cd93fb0a8092c"
    /// The same key as PKCS#8.
    static let pkcs8 = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSoHtU1f1+Nv2AY8I9cBPon5XHtOz1QEYgAmsO3vJP9ihRANCAATgxf07ia+s//sFzhRcf6/3GhIEJedcLHC5Ui62dDbWOg71rustqHzrjTDgAp+mTf8Rb8CNxrBcZiEs2T+wqAks"
    /// A P-384 key: an EC key, but not on the curve DPoP uses here.
    static let p384 = "MIGkAgEBBDA9QjekhJOqDLAekVlTOt7Nr0FOrkdn7xGZaJap8qyxffq4o8MT2JXmzz2y5/flrmSgBwYFK4EEACKhZANiAARnt+/ognQDbsuzEkd4zOcSvsLOhZS1jBuPGFDhADOFUPPwDBbUTmPFQTBzSzfmw9daDUQVZva4W5Cf5e3AKQG3Na03qO5MlxY+Ev+OHOTU06fPeyCpvdLz6LFmjzizBzo="
    /// botocore 1.43's `_build_dpop_header(key, "https://us-east-1.signin.aws.amazon.com/v1/token",
    /// uid="8d6d1f7c-0a4b-4a4e-9a53-2f0c3f1f2b6e", ts=1796666400)`, without its (random) signature.
    static let botocoreSigningInput = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6IjRNWDlPNG12clBfN0JjNFVYSC12OXhvU0JDWG5YQ3h3dVZJdXRuUTIxam8iLCJ5IjoiRHZXdTZ5Mm9mT3VOTU9BQ242Wk5feEZ2d0kzR3NGeG1JU3paUDdDb0NTdyIsImNydiI6IlAtMjU2In19.eyJodG0iOiJQT1NUIiwiaHR1IjoiaHR0cHM6Ly91cy1lYXN0LTEuc2lnbmluLmF3cy5hbWF6b24uY29tL3YxL3Rva2VuIiwiaWF0IjoxNzk2NjY2NDAwLCJqdGkiOiI4ZDZkMWY3Yy0wYTRiLTRhNGUtOWE1My0yZjBjM2YxZjJiNmUifQ"

    static func key() throws -> P256SigningKey {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return try P256SigningKey(der: Base64.decode(body)!)
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    @Test func publicPointIsTheOneCryptographyReports() throws {
        let (x, y) = try Self.key().publicCoordinates()
        #expect(Self.hex(x) == Self.x && Self.hex(y) == Self.y)
        let (px, py) = try P256SigningKey(der: Base64.decode(Self.pkcs8)!).publicCoordinates()
        #expect(Self.hex(px) == Self.x && Self.hex(py) == Self.y)
    }

    @Test func signaturesVerifyAndAlteredOnesDoNot() throws {
        let key = try Self.key()
        let (x, y) = try key.publicCoordinates()
        let message = Array("header.payload".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(P256SigningKey.verify(signature: signature, of: message, x: x, y: y))
        #expect(!P256SigningKey.verify(signature: signature, of: Array("header.payloaD".utf8), x: x, y: y))
        var flipped = signature
        flipped[40] ^= 1
        #expect(!P256SigningKey.verify(signature: flipped, of: message, x: x, y: y))
        #expect(!P256SigningKey.verify(signature: Array(signature.prefix(63)), of: message, x: x, y: y))
        // ECDSA is randomized: two signatures differ and both verify.
        let again = try key.sign(message)
        #expect(again != signature && P256SigningKey.verify(signature: again, of: message, x: x, y: y))
    }

    @Test func otherKeysAndGarbageAreRefused() {
        #expect(throws: P256SigningKey.Failure.notAP256Key) { try P256SigningKey(der: Base64.decode(Self.p384)!) }
        #expect(throws: P256SigningKey.Failure.notAP256Key) { try P256SigningKey(der: Array("not a key".utf8)) }
        #expect(throws: P256SigningKey.Failure.notAP256Key) { try P256SigningKey(der: []) }
        let good = Base64.decode(Self.pkcs8)!
        #expect(throws: P256SigningKey.Failure.notAP256Key) { try P256SigningKey(der: good + [0]) }       // trailing bytes
        #expect(throws: P256SigningKey.Failure.notAP256Key) { try P256SigningKey(der: Array(good.dropLast())) } // truncated
        #expect("\(try! Self.key())" == "P256SigningKey(not shown)")
    }

    @Test func generatedKeysAreSEC1AndSign() throws {
        let key = try P256SigningKey.generate()
        #expect(key.der.count > 100 && key.der[0] == 0x30)
        let (x, y) = try key.publicCoordinates()
        #expect(P256SigningKey.verify(signature: try key.sign([1, 2, 3]), of: [1, 2, 3], x: x, y: y))
        #expect(try P256SigningKey.generate().der != key.der)
    }

    @Test func proofIsBotocoresJWTAndVerifies() throws {
        let key = try Self.key()
        let proof = try DPoPProof.make(key: key, url: "https://us-east-1.signin.aws.amazon.com/v1/token", issuedAt: 1796666400,
                                       id: "8d6d1f7c-0a4b-4a4e-9a53-2f0c3f1f2b6e")
        let parts = proof.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        #expect("\(parts[0]).\(parts[1])" == Self.botocoreSigningInput)
        let signature = try #require(Base64.decodeURL(parts[2]))
        let (x, y) = try key.publicCoordinates()
        #expect(P256SigningKey.verify(signature: signature, of: Array("\(parts[0]).\(parts[1])".utf8), x: x, y: y))
        #expect(!proof.contains("=") && !proof.contains("+") && !proof.contains("/"))
    }

    @Test func proofIdsAreVersion4UUIDs() throws {
        let a = try DPoPProof.newId(), b = try DPoPProof.newId()
        #expect(a != b)
        let uuid = try #require(UUID(uuidString: a))
        #expect(uuid.uuidString.lowercased() == a)
        #expect(Array(a)[14] == "4" && "89ab".contains(Array(a)[19]))
    }

    @Test func base64URLRoundTrips() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
            #expect(Base64.decodeURL(Base64.encodeURL(bytes)) == bytes)
            #expect(Base64.encodeURL(bytes) == Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        }
        #expect(Base64.decodeURL("a+b/") == nil)
    }
}
