import AWSCore
import SigV4

/// A Proof Key for Code Exchange pair (RFC 7636) made as the AWS CLI v2 makes it
/// (`SSOTokenFetcherAuth`): a verifier of 64 characters drawn from the unreserved set
/// `A-Z a-z 0-9 - . _ ~` by the system's secure generator, and the `S256` challenge, the
/// base64url SHA-256 of the verifier without padding. The verifier never prints.
public struct PKCE: Sendable, CustomStringConvertible {
    public let verifier: String
    public let challenge: String

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    public init() {
        var generator = SystemRandomNumberGenerator()
        self.init(verifier: String(decoding: (0..<64).map { _ in Self.alphabet.randomElement(using: &generator)! }, as: UTF8.self))
    }

    public init(verifier: String) {
        self.verifier = verifier
        self.challenge = Self.challenge(verifier)
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))` without `=` (RFC 7636 §4.2).
    public static func challenge(_ verifier: String) -> String {
        let standard = Base64.encode(Digest.sha256(Array(verifier.utf8)))
        return String(standard.compactMap { c -> Character? in
            switch c {
            case "+": return "-"
            case "/": return "_"
            case "=": return nil
            default: return c
            }
        })
    }

    public var description: String { "PKCE(challenge \(challenge), verifier not shown)" }
}
