import Testing
@testable import AWSClients
import AWSCore

/// The credential report is untrusted bytes too: mutated reports never crash the CSV reader or
/// the report parser, and generated rows round-trip through CSV exactly.
struct CSVFuzzTests {
    let n = FuzzInput.iterations

    static let seeds = [
        "user,arn,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated\n"
            + "alice,arn:aws:iam::1:user/alice,true,2024-02-03T04:05:06+00:00,N/A,false,N/A\n<root_account>,arn:aws:iam::1:root,false,N/A,N/A,false,N/A\n",
        "a,\"b,\"\"c\"\"\",\"d\r\ne\"\r\n,,\n",
    ]
    static let tokens = [",", "\"", "\"\"", "\n", "\r\n", "\r", "N/A", "true", "2024-02-03T04:05:06+00:00", "<root_account>", "é", "\u{0}"]

    @Test func mutatedReportsNeverCrash() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 20)
        for _ in 0..<n {
            let text = String(decoding: r.mutate(Array(r.pick(Self.seeds).utf8), tokens: Self.tokens), as: UTF8.self)
            let rows = CSV.parse(text)
            #expect(rows.allSatisfy { !$0.isEmpty })
            if let report = CredentialReport.parse(text) { #expect(report.users.allSatisfy { $0.keys.count <= 2 }) }
        }
    }

    @Test func generatedRowsRoundTrip() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 21)
        let alphabet = Array("ab,\"\n\r =+-@é;'")
        for i in 0..<n {
            let rows = (0..<r.int(1...4)).map { _ in (0..<r.int(1...5)).map { _ in r.string(alphabet, length: 1...8) } }
            // A CR not followed by LF is written escaped (`\r`); then a field starting with one of
            // OWASP's formula characters (= + - @ TAB CR) or LF gets a leading ' (formula guard).
            func written(_ field: String) -> String {
                let scalars = Array(field.unicodeScalars)
                var out = ""
                for (j, c) in scalars.enumerated() {
                    if c == "\r", !(j + 1 < scalars.count && scalars[j + 1] == "\n") { out += "\\r" } else { out.unicodeScalars.append(c) }
                }
                return "=+-@\t\r\n".unicodeScalars.contains(out.unicodeScalars.first!) ? "'" + out : out
            }
            let expected = rows.map { $0.map(written) }
            #expect(CSV.parse(rows.map(CSV.line).joined()) == expected, "iteration \(i)")
        }
    }
}
