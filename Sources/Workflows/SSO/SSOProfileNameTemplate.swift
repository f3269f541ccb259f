import AWSCore

/// How `credctl sso sync` names the profile of an account and role: a template with
/// `{account_name}`, `{account_id}`, `{role_name}`, `{sso_session}` and `{email}`; the
/// default is `{account_name}.{role_name}` (aws-sso-util's). After substitution every
/// character other than a letter, digit or one of `- _ . @ + / % :` (what every AWS SDK reads
/// back as the same profile name, `SharedFileRules`) becomes `-` (so that a
/// name never needs quoting in `[profile NAME]` or on a command line), runs of `-` are
/// squeezed, and no value starts or ends with one (`My Prod [eu]` gives `My-Prod-eu`).
public struct SSOProfileNameTemplate: Sendable, Equatable {
    public static let defaultText = "{account_name}.{role_name}"
    public static let placeholders = ["account_name", "account_id", "role_name", "sso_session", "email"]

    enum Part: Equatable {
        case literal(String)
        case placeholder(String)
    }

    public let text: String
    let parts: [Part]

    /// Parses `text`; an unknown placeholder or an unclosed brace is a usage error (exit 2).
    public init(_ text: String) throws(AWSError) {
        func fail(_ why: String) -> AWSError {
            .configuration(ConfigurationError("profile name template '\(text)': \(why); placeholders: \(Self.placeholders.map { "{\($0)}" }.joined(separator: " "))"))
        }
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "}" { throw fail("a '}' without its '{'") }
            guard c == "{" else { literal.append(c); continue }
            guard let close = rest.firstIndex(of: "}") else { throw fail("a '{' without its '}'") }
            let name = String(rest[..<close])
            guard Self.placeholders.contains(name) else { throw fail("unknown placeholder {\(name)}") }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            parts.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(where: { if case .placeholder = $0 { return true } else { return false } }) else {
            throw fail("it has no placeholder, so every profile would get the same name")
        }
        self.text = text
        self.parts = parts
    }

    /// The profile name for one account and role.
    public func render(accountName: String, accountId: String, roleName: String, session: String?, email: String?) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += Self.sanitize(s, trim: false)
            case .placeholder(let name):
                let value: String
                switch name {
                case "account_name": value = accountName.isEmpty ? accountId : accountName
                case "account_id": value = accountId
                case "role_name": value = roleName
                case "sso_session": value = session ?? "sso"
                default: value = email ?? ""
                }
                out += Self.sanitize(value)
            }
        }
        return Self.sanitize(out)
    }

    /// Characters a name may not hold become `-`, runs of `-` are squeezed, and (with `trim`)
    /// none is left at either end.
    static func sanitize(_ name: String, trim: Bool = true) -> String {
        var out = ""
        for c in name.unicodeScalars {
            let ok = (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
                || "-_.@+/%:".unicodeScalars.contains(c)
            let piece: Character = ok ? Character(c) : "-"
            if piece == "-", out.last == "-" { continue }
            out.append(piece)
        }
        if trim {
            while out.hasPrefix("-") { out.removeFirst() }
            while out.hasSuffix("-") { out.removeLast() }
        }
        return out
    }
}
