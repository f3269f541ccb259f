/// What an IAM unique id or access key id says by itself, offline: the kind of thing its
/// four-letter prefix names, and the AWS account encoded in it (ids made since about 2019 carry
/// the account: base32 of the characters after the prefix, bits 7–46 of the first six bytes).
public struct KeyIdInspection: Sendable, Equatable {
    public var id: String
    public var prefix: String
    /// What the prefix means, e.g. "access key (long-term, IAM user or root)"; nil when unknown.
    public var kind: String?
    public var account: String?
    /// Why the id is not well-formed, when it is not.
    public var problem: String?

    /// The prefixes IAM documents for unique ids and access keys.
    public static let prefixes: [String: String] = [
        "ABIA": "AWS STS service bearer token",
        "ACCA": "context-specific credential",
        "AGPA": "IAM group",
        "AIDA": "IAM user",
        "AIPA": "Amazon EC2 instance profile",
        "AKIA": "access key (long-term, IAM user or root)",
        "ANPA": "managed policy",
        "ANVA": "version in a managed policy",
        "APKA": "public key",
        "AROA": "IAM role",
        "ASCA": "certificate",
        "ASIA": "temporary access key (from STS; needs its session token)",
    ]

    public init(_ id: String) {
        self.id = id
        prefix = String(id.prefix(4))
        kind = Self.prefixes[prefix]
        problem = Self.shapeProblem(id)
        account = problem == nil ? Self.account(in: id) : nil
    }

    /// Access key ids and unique ids are 20 (unique ids up to 128) upper-case letters and digits.
    public static func shapeProblem(_ id: String) -> String? {
        guard id.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }) else {
            return "'\(id.count > 32 ? String(id.prefix(32)) + "…" : id)' holds characters other than A–Z and 0–9"
        }
        guard id.count >= 16 else { return "\(id.count) characters; access key ids have 20" }
        if prefixes[String(id.prefix(4))] == nil { return "prefix \(id.prefix(4)) is not one IAM uses (AKIA, ASIA, AIDA, AROA, …)" }
        return nil
    }

    /// The account id encoded in the id, or nil when the id predates the encoding (its fifth
    /// character is not in the base32 range that carries it) or is not base32.
    public static func account(in id: String) -> String? {
        let body = Array(id.utf8.dropFirst(4))
        guard body.count >= 10 else { return nil }
        // 10 base32 characters = 50 bits, enough for the first six bytes (48 bits).
        var bits: UInt64 = 0
        for c in body.prefix(10) {
            let v: UInt64
            switch c {
            case 0x41...0x5A: v = UInt64(c - 0x41)
            case 0x32...0x37: v = UInt64(c - 0x32 + 26)
            default: return nil
            }
            bits = bits << 5 | v
        }
        let sixBytes = bits >> 2
        let account = (sixBytes & 0x7F_FFFF_FFFF_80) >> 7
        // Old ids (fifth character I or J) carry no account; what decodes from them is noise.
        guard let fifth = id.utf8.dropFirst(4).first, fifth >= UInt8(ascii: "Q") || (0x32...0x37).contains(fifth) else { return nil }
        let digits = String(account)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
