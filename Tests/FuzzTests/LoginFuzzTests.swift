import Testing
import AWSCore
import SecretCrypto
@testable import AWSClients
@testable import AWSCredentials
@testable import Workflows

/// The parsers of what `aws login` sessions bring in from outside: the cache file (anyone who can
/// write it), the sign-in service's token answer, the code a user pastes, the ID token, the DPoP
/// key's DER.
struct LoginFuzzTests {
    let n = FuzzInput.iterations

    static let cacheSeed = #"{"accessToken": {"accessKeyId": "ASIAOLD0000000000001", "secretAccessKey": "old-secret", "sessionToken": "old-token", "accountId": "123456789012", "expiresAt": "2026-12-07T18:15:00Z"}, "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "old-refresh", "idToken": "a.b.c", "dpopKey": "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEqB7VNX9fjb9gGPCPXAT6J+Vx7Ts9UBGIAJrDt7yT/YoAoGCCqGSM49\nAwEHoUQDQgAE4MX9O4mvrP/7Bc4UXH+v9xoSBCXnXCxwuVIutnQ21joO9a7rLah8\n640w4AKfpk3/EW/AjcawXGYhLNk/sKgJLA==\n-----END EC PRIVATE KEY-----\n"}"#
    static let grantSeed = #"{"accessToken": {"accessKeyId": "ASIANEW0000000000002", "secretAccessKey": "new-secret", "sessionToken": "new-token"}, "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "new-refresh", "idToken": "x.eyJzdWIiOiJhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnVzZXIvYWxpY2UifQ.y"}"#
    static let tokens = ["\"", "{", "}", "[", "]", ",", ":", "null", "1", "-1", "1e999", "\\r\\n", "\\u0000", "\\ud83d", "\"expiresAt\": 5",
                         "2026-13-45T99:99:99Z", "-----END", "=", "\u{0}", "\r\n"]

    @Test func cacheDocumentsNeverCrashAndWhatParsesIsComplete() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 60)
        var parsed = 0
        for i in 0..<n {
            let input = r.mutate(Array(Self.cacheSeed.utf8), tokens: Self.tokens)
            guard let token = try? LoginSessionToken(parsing: input) else { continue }
            parsed += 1
            for field in [token.accessKeyId, token.secretAccessKey, token.sessionToken, token.accountId, token.refreshToken, token.clientId, token.dpopKey] {
                #expect(!field.isEmpty, "iteration \(i)")
            }
            _ = token.dpopKeyDER.flatMap { try? P256SigningKey(der: $0) }
            // What a refresh would write reads back as the same session.
            let again = try LoginSessionToken(parsing: Array(token.refreshed(accessKeyId: "A", secretAccessKey: "s", sessionToken: "t",
                                                                                 expiresAt: 1, refreshToken: "r").json.serialized().utf8))
            #expect(again.accountId == token.accountId && again.dpopKey == token.dpopKey && again.refreshToken == "r", "iteration \(i)")
        }
        #expect(parsed > 0)
    }

    @Test func tokenAnswersNeverCrashAndWhatDecodesIsSafeForHeaders() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 61)
        for i in 0..<n {
            let input = r.mutate(Array(Self.grantSeed.utf8), tokens: Self.tokens)
            guard let grant = try? SignInClient.decode(input, operation: "signin:CreateOAuth2Token") else { continue }
            for field in [grant.accessKeyId, grant.secretAccessKey, grant.sessionToken] {
                #expect(!field.isEmpty && !field.utf8.contains(where: HeaderRules.isForbiddenInValue), "iteration \(i)")
            }
            #expect(grant.expiresIn > 0 && !grant.refreshToken.isEmpty, "iteration \(i)")
            if let id = grant.idToken, let (session, account) = try? LoginAuthorization.session(fromIDToken: id) {
                #expect(account.count == 12 && account.allSatisfy(\.isNumber) && session.hasPrefix("arn:"), "iteration \(i)")
                #expect(!session.unicodeScalars.contains { $0.value < 0x20 }, "iteration \(i)")
            }
        }
    }

    @Test func pastedCodesNeverCrash() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 62)
        let seed = Array("c3RhdGU9MGI5ZTFmMmEmY29kZT1hYmMlMkJkZWY=".utf8)
        for i in 0..<n {
            let input = String(decoding: r.mutate(seed, tokens: ["=", "+", "/", "%", "&", " ", "\n", "\u{0}", "é"]), as: UTF8.self)
            if let (code, _) = try? LoginAuthorization.parseVerificationCode(input) { #expect(!code.isEmpty, "iteration \(i)") }
        }
    }

    @Test func keysThatAreAcceptedSignAndVerify() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 63)
        let good = try P256SigningKey.generate().der
        var accepted = 0
        for i in 0..<max(n / 10, 50) {  // each accepted key is decoded and checked three times: fewer inputs
            let input = r.mutate(good, tokens: ["\u{30}", "\u{02}", "\u{04}", "\u{A0}", "\u{FF}"])
            guard let key = try? P256SigningKey(der: input) else { continue }
            accepted += 1
            let (x, y) = try key.publicCoordinates()
            #expect(P256SigningKey.verify(signature: try key.sign([1, 2, 3]), of: [1, 2, 3], x: x, y: y), "iteration \(i)")
        }
        _ = accepted
    }
}
