import Testing
@testable import Workflows

/// `sso sync` turns account and role names from the service into profile names: whatever the
/// template and the names, a rendered name holds only characters that need no quoting in
/// `[profile NAME]` or a shell, and no placeholder value starts or ends with `-`.
struct SSOProfileNameFuzzTests {
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@+=,/")

    @Test func templatesNeverCrashAndNamesNeedNoQuoting() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 40)
        let templateTokens = ["{account_name}", "{account_id}", "{role_name}", "{sso_session}", "{email}", "{", "}", "{x}", ".", "-", " ", "/", "é", "'"]
        let nameChars = Array("aZ09 -_.[]'\"\\;#=é\u{1F600}\t\n/@")
        for i in 0..<FuzzInput.iterations {
            let text = (0..<r.int(0...5)).map { _ in r.pick(templateTokens) }.joined()
            guard let template = try? SSOProfileNameTemplate(text) else { continue }
            let name = template.render(accountName: r.string(nameChars, length: 0...12), accountId: r.string(nameChars, length: 0...12),
                                       roleName: r.string(nameChars, length: 0...12), session: r.bool() ? nil : r.string(nameChars, length: 0...8),
                                       email: r.bool() ? nil : r.string(nameChars, length: 0...8))
            #expect(name.allSatisfy { Self.allowed.contains($0) }, "iteration \(i): \(text) -> \(name)")
            #expect(!name.hasPrefix("-") && !name.hasSuffix("-") && !name.contains("--"), "iteration \(i): \(name)")
        }
    }
}
