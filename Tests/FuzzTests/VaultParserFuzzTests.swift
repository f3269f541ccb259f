import Testing
import AWSConfig
import AWSCore
@testable import CredentialServer
@testable import Vault

/// The vault's and the credentials server's parsers of untrusted bytes: a request from any
/// local process, a vault file anyone with write access may have changed, secret-tool's output,
/// and the credentials file an import edits.
struct VaultParserFuzzTests {
    let n = FuzzInput.iterations

    static let requestSeeds = [
        "GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: abc\r\nAccept: application/json\r\n\r\n",
        "POST /x?y=z HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
        "GET / HTTP/1.1\r\n\r\n",
    ]
    static let requestTokens = ["\r\n", "\r\n\r\n", ":", " ", "\t", "HTTP/1.1", "GET", "/", "\u{0}", "\u{FF}", String(repeating: "a", count: 3000)]

    @Test func requestHeadParserNeverCrashesAndKeepsItsLimits() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 40)
        for i in 0..<n {
            let input = r.mutate(Array(r.pick(Self.requestSeeds).utf8), tokens: Self.requestTokens)
            switch HTTPRequestHead.parse(input) {
            case .complete(let head):
                #expect(head.target.hasPrefix("/") && !head.method.isEmpty && head.method.allSatisfy(\.isUppercase), "iteration \(i)")
                #expect(HTTPRequestHead.headEnd(input).map { $0 <= HTTPRequestHead.maximumSize } == true, "iteration \(i)")
                #expect(head.headers.keys.allSatisfy { $0 == $0.lowercased() && !$0.isEmpty }, "iteration \(i)")
            case .incomplete:
                #expect(HTTPRequestHead.headEnd(input) == nil && input.count <= HTTPRequestHead.maximumSize, "iteration \(i)")
            case .tooLarge, .malformed:
                break
            }
        }
    }

    @Test func vaultFileParserNeverCrashesAndAlteredEntriesNeverOpen() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 41)
        let parameters = ScryptParameters(n: 1024, r: 8, p: 1, salt: Array(repeating: 7, count: 16))
        var passphrase = Array("fuzzing passphrase".utf8)
        let key = try VaultKey.derive(passphrase: &passphrase, parameters: parameters)
        let entry = VaultEntry(profile: "p", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", added: 1_800_000_000)
        let sealed = try key.seal(SealedKeys.plaintext(entry), associatedData: VaultDocument.entryAssociatedData(profile: "p", metadata: entry.metadata))
        let check = try key.seal(VaultDocument.keyCheckPlaintext, associatedData: VaultDocument.keyCheckAssociatedData(parameters))
        let good = VaultDocument(kdf: parameters, keyCheck: check, entries: [.init(profile: "p", metadata: entry.metadata, sealed: sealed)])
        let seed = good.serialized
        let tokens = ["\"", "{", "}", "[", "]", ",", ":", "null", "1", "-1", "65536", "4194304", "=", "A", "\\u0000", "\"profile\": \"q\""]
        var parsed = 0
        let fields: [(String, [JSONValue])] = [
            ("profile", [.string("q"), .string("p "), .string("")]), ("added", [.string("2027-01-15T08:00:01Z"), .string("1999-01-01T00:00:00Z")]),
            ("masked_access_key_id", [.string("AKIA************MPLF")]), ("mfa_serial", [.string("arn:aws:iam::1:mfa/x")]),
            ("session_credentials", [.string("long-term-key")]), ("session_duration_seconds", [.number(900), .number(3600)]),
        ]
        for i in 0..<n {
            // Half the time one clear field or one sealed byte changed in an otherwise valid file; else any bytes.
            var input = r.mutate(seed, tokens: tokens)
            if r.bool(), case .object(var top) = try JSONValue.parse(seed), let e = top.firstIndex(where: { $0.0 == "entries" }),
               case .array(var entries) = top[e].1, case .object(var members) = entries[0] {
                if r.bool() {
                    var bytes = sealed
                    bytes[r.int(0...(bytes.count - 1))] ^= UInt8(1 << r.int(0...7))
                    members = members.map { $0.0 == "sealed" ? ($0.0, .string(Base64.encode(bytes))) : $0 }
                } else {
                    let (name, values) = r.pick(fields)
                    members.removeAll { $0.0 == name }
                    members.append((name, r.pick(values)))
                }
                entries[0] = .object(members)
                top[e].1 = .array(entries)
                input = Array(JSONValue.object(top).serialized().utf8)
            }
            guard let document = try? VaultDocument(parsing: input, path: "/v") else { continue }
            parsed += 1
            #expect(document.kdf.problem == nil, "iteration \(i)")
            #expect(Set(document.entries.map(\.profile)).count == document.entries.count, "iteration \(i)")
            for stored in document.entries {
                let opened = key.open(stored.sealed, associatedData: VaultDocument.entryAssociatedData(profile: stored.profile, metadata: stored.metadata))
                // Whatever opens is exactly what was sealed, under exactly the fields it was sealed with.
                if opened != nil {
                    #expect(stored.profile == "p" && stored.metadata == entry.metadata && stored.sealed == sealed, "iteration \(i)")
                }
            }
        }
        #expect(parsed > n / 20, "some mutated files must still parse, or the property says little")
    }

    @Test func secretToolOutputParserNeverCrashes() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 42)
        let out = Array("[/org/freedesktop/secrets/collection/login/1]\nlabel = x\nsecret = y\n".utf8)
        let err = Array(("attribute.service = credctl\nattribute.profile = p\nattribute.item_id = 01\nattribute.masked_access_key_id = AKIA****\n"
                         + "attribute.added = 2027-01-15T08:00:00Z\nattribute.session_credentials = session-token\nattribute.mfa_serial = \n"
                         + "attribute.session_duration_seconds = \n").utf8)
        #expect(SecretServiceItem.parseSearchOutput(standardOutput: out, standardError: err)?.count == 1)
        let tokens = ["\n", "[", "attribute.", " = ", "service", "credctl", "profile", "added", "session-token", "900"]
        for _ in 0..<n {
            let items = SecretServiceItem.parseSearchOutput(standardOutput: r.mutate(out, tokens: tokens), standardError: r.mutate(err, tokens: tokens))
            if let items { #expect(items.count <= 2) }
        }
    }

    @Test func importRemovesExactlyTheTwoKeyLinesAndNothingElse() throws {
        var r = FuzzInput(seed: FuzzInput.seed &+ 43)
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let noise = ["# comment", "; other", "region = eu-west-1", "output=json", "", "  ", "s3 =", "  max_concurrent_requests = 4",
                     "aws_session_token_hint = x", "[other]", "aws_access_key_id = AKIAI44QH8DHBEXAMPLE", "aws_secret_access_key = otherSecretValue0000"]
        var planned = 0
        for i in 0..<n {
            let eol = r.bool() ? "\n" : "\r\n"
            var lines = (0..<r.int(0...4)).map { _ in r.pick(noise) }.filter { !$0.hasPrefix("[") && !$0.hasPrefix("aws_") && !$0.hasPrefix(" ") && $0 != "s3 =" }
            lines.append("[p]")
            var body = ["aws_access_key_id\(r.pick([" = ", "=", "  =  "]))AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key\(r.pick([" = ", "=", " =\t"]))\(secret)"]
            for _ in 0..<r.int(0...3) { body.insert(r.pick(noise.filter { !$0.hasPrefix("[") && !$0.hasPrefix("aws_") }), at: r.int(0...body.count)) }
            lines += body
            lines += (0..<r.int(0...5)).map { _ in r.pick(noise) }
            let text = lines.joined(separator: eol) + (r.bool() ? eol : "")
            guard let editor = try? CredentialsFileEditor(path: "/c", bytes: Array(text.utf8)) else { continue }
            guard let plan = try? VaultFileTransfer.importPlan(credentials: editor, configPath: "/cfg", configBytes: [], profiles: ["p"],
                                                               program: "credctl", now: 0) else { continue }
            planned += 1
            let out = String(decoding: plan.credentials, as: UTF8.self)
            #expect(!out.contains(secret) && !out.contains("AKIAIOSFODNN7EXAMPLE"), "iteration \(i)")
            // The output is the input without the two lines (each with its own line end) that held the key.
            var inputLines: [[UInt8]] = []
            for line in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) { inputLines.append(Array(line) + [0x0A]) }
            inputLines[inputLines.count - 1].removeLast()
            let keyLines = inputLines.filter { String(decoding: $0, as: UTF8.self).contains("AKIAIOSFODNN7EXAMPLE") || String(decoding: $0, as: UTF8.self).contains(secret) }
            #expect(keyLines.count == 2, "iteration \(i)")
            #expect(plan.credentials == inputLines.filter { !keyLines.contains($0) }.flatMap { $0 }, "iteration \(i): \(text.debugDescription)")
        }
        #expect(planned > n / 4, "many generated files must be importable, or the property says little")
    }
}
