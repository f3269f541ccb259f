import AWSCore
import SecretCrypto
import SigV4

/// One credctl item in the Secret Service: its attributes, which carry the profile, a random
/// item id (so that a replacement can be stored before the item it replaces is deleted) and
/// the clear fields of `vault list`.
struct SecretServiceItem: Sendable, Equatable {
    var profile: String
    var itemId: String
    var metadata: VaultEntryMetadata

    init(profile: String, itemId: String, metadata: VaultEntryMetadata) {
        self.profile = profile
        self.itemId = itemId
        self.metadata = metadata
    }

    /// A new item for `entry`, with a fresh random id.
    init(entry: VaultEntry) throws(VaultError) {
        let random: [UInt8]
        do { random = try SecretCrypto.randomBytes(12) } catch { throw .io("cannot draw random bytes: \(error)") }
        self.init(profile: entry.profile, itemId: Hex.encode(random), metadata: entry.metadata)
    }

    /// Every item carries the same attribute names (an absent value is empty), which is what
    /// lets `parseSearchOutput` tell where one item's attributes end.
    var attributes: [String: String] {
        ["profile": profile, "item_id": itemId, "masked_access_key_id": metadata.maskedKeyId,
         "added": Timestamp.format(metadata.added),
         "session_credentials": metadata.session.useSessionToken ? "session-token" : "long-term-key",
         "mfa_serial": metadata.mfaSerial ?? "",
         "session_duration_seconds": metadata.session.durationSeconds.map(String.init) ?? ""]
    }

    init?(attributes a: [String: String]) {
        guard let profile = a["profile"], let itemId = a["item_id"], let masked = a["masked_access_key_id"],
              let added = a["added"].flatMap(Timestamp.parse),
              let mode = a["session_credentials"], mode == "session-token" || mode == "long-term-key" else { return nil }
        var duration: Int?
        if let text = a["session_duration_seconds"], !text.isEmpty {
            guard let d = Int(text) else { return nil }
            duration = d
        }
        self.init(profile: profile, itemId: itemId,
                  metadata: VaultEntryMetadata(maskedKeyId: masked, added: added, mfaSerial: a["mfa_serial"].flatMap { $0.isEmpty ? nil : $0 },
                                               session: SessionCredentialSettings(useSessionToken: mode == "session-token", durationSeconds: duration)))
    }

    /// The items of `secret-tool search --all` output. It prints each item's `[/path]` header
    /// (and label and secret) on standard output but its `attribute.NAME = VALUE` lines on
    /// standard error, so items are told apart by their attribute names: every credctl item has
    /// the same set, and a name seen again starts the next item. Secret lines are never read.
    /// Nil when the two streams do not agree on the number of items.
    static func parseSearchOutput(standardOutput: [UInt8], standardError: [UInt8]) -> [SecretServiceItem]? {
        let headers = standardOutput.split(separator: 0x0A).filter { $0.first == UInt8(ascii: "[") }.count
        let prefix = Array("attribute.".utf8)
        var groups: [[String: String]] = []
        for line in standardError.split(separator: 0x0A) where line.starts(with: prefix) {
            let text = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            guard let separator = text.firstRange(of: " = ") else { continue }
            let name = String(text[..<separator.lowerBound])
            if groups.isEmpty || groups[groups.count - 1][name] != nil { groups.append([:]) }
            groups[groups.count - 1][name] = String(text[separator.upperBound...])
        }
        guard groups.count == headers else { return nil }
        var items: [SecretServiceItem] = []
        for group in groups where group["service"] == SecretServiceBackend.service {
            guard let item = SecretServiceItem(attributes: group) else { return nil }
            items.append(item)
        }
        return items
    }
}
