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

    var attributes: [String: String] {
        var a = ["profile": profile, "item_id": itemId, "masked_access_key_id": metadata.maskedKeyId,
                 "added": Timestamp.format(metadata.added),
                 "session_credentials": metadata.session.useSessionToken ? "session-token" : "long-term-key"]
        if let serial = metadata.mfaSerial { a["mfa_serial"] = serial }
        if let d = metadata.session.durationSeconds { a["session_duration_seconds"] = String(d) }
        return a
    }

    init?(attributes a: [String: String]) {
        guard let profile = a["profile"], let itemId = a["item_id"], let masked = a["masked_access_key_id"],
              let added = a["added"].flatMap(Timestamp.parse),
              let mode = a["session_credentials"], mode == "session-token" || mode == "long-term-key" else { return nil }
        var duration: Int?
        if let text = a["session_duration_seconds"] {
            guard let d = Int(text) else { return nil }
            duration = d
        }
        self.init(profile: profile, itemId: itemId,
                  metadata: VaultEntryMetadata(maskedKeyId: masked, added: added, mfaSerial: a["mfa_serial"],
                                               session: SessionCredentialSettings(useSessionToken: mode == "session-token", durationSeconds: duration)))
    }

    /// The items of `secret-tool search --all` output: blocks that start with `[/object/path]`
    /// and hold `attribute.NAME = VALUE` lines. Secret lines are skipped, never kept; items
    /// without credctl's attributes are ignored.
    static func parseSearchOutput(_ bytes: [UInt8]) -> [SecretServiceItem] {
        var items: [SecretServiceItem] = []
        var attributes: [String: String]?
        func finish() {
            if let a = attributes, a["service"] == SecretServiceBackend.service, let item = SecretServiceItem(attributes: a) { items.append(item) }
        }
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.first == UInt8(ascii: "[") {
                finish()
                attributes = [:]
                continue
            }
            let prefix = Array("attribute.".utf8)
            guard attributes != nil, line.starts(with: prefix) else { continue }
            let text = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            guard let separator = text.firstRange(of: " = ") else { continue }
            attributes?[String(text[..<separator.lowerBound])] = String(text[separator.upperBound...])
        }
        finish()
        return items
    }
}
