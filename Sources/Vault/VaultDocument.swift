import AWSCore
import SecretCrypto

/// The vault file (`vault.json`), read and written as JSON:
///
///     {"format": "credctl-vault", "version": 1, "cipher": "AES-256-GCM",
///      "kdf": {"name": "scrypt", "n": 65536, "r": 7, "p": 2, "salt": BASE64},
///      "key_check": BASE64(nonce ‖ ciphertext ‖ tag),
///      "entries": [{"profile": "prod", "masked_access_key_id": "AKIA************MPLE",
///                   "added": "2026-01-02T03:04:05Z", "mfa_serial": …, "session_credentials": "session-token",
///                   "session_duration_seconds": 3600, "sealed": BASE64(nonce ‖ ciphertext ‖ tag),
///                   "session": BASE64(nonce ‖ ciphertext ‖ tag)}],
///      "cached_results": [{"id": HEX, "expires": "2026-01-02T04:04:05Z", "sealed": BASE64(…)}]}
///
/// Each entry is sealed on its own; its associated data binds the format version, the
/// profile name and every clear field, so that no entry can be renamed, moved between
/// profiles or have its clear fields edited without failing to open. `session`, when there is
/// one, holds the entry's last session credentials, sealed under the same key with associated
/// data that binds the entry's own sealed bytes: it opens only with the entry it was stored
/// with, and goes when the entry is replaced or removed. `cached_results` holds `credctl cached`
/// results (`FileVaultBackend.cachedResult`), each sealed under the same key with associated
/// data that binds its id and clear expiry; one that does not parse or open is a cache entry
/// lost, never a damaged vault.
struct VaultDocument: Equatable {
    struct StoredEntry: Equatable {
        var profile: String
        var metadata: VaultEntryMetadata
        var sealed: [UInt8]
        /// The sealed session credentials of this entry, if any.
        var session: [UInt8]? = nil
    }

    static let format = "credctl-vault"
    static let version = 1
    static let cipher = "AES-256-GCM"
    /// What the key check seals: opening it proves the passphrase before anything is decrypted or changed.
    static let keyCheckPlaintext = Array("credctl vault key check".utf8)

    /// A sealed `credctl cached` result: its id (the digest of the command line), when it
    /// expires (clear, for pruning without opening; bound into the seal) and the sealed bytes.
    struct CachedResult: Equatable {
        var id: String
        var expires: Int
        var sealed: [UInt8]
    }

    var kdf: ScryptParameters
    var keyCheck: [UInt8]
    var entries: [StoredEntry]
    var cachedResults: [CachedResult] = []

    init(kdf: ScryptParameters, keyCheck: [UInt8], entries: [StoredEntry], cachedResults: [CachedResult] = []) {
        self.kdf = kdf
        self.keyCheck = keyCheck
        self.entries = entries
        self.cachedResults = cachedResults
    }

    func entry(_ profile: String) -> StoredEntry? { entries.first { $0.profile == profile } }

    static func keyCheckAssociatedData(_ kdf: ScryptParameters) -> [UInt8] {
        Array("\(format)\0\(version)\0key-check\0scrypt:\(kdf.n):\(kdf.r):\(kdf.p):\(Base64.encode(kdf.salt))".utf8)
    }

    static func entryAssociatedData(profile: String, metadata: VaultEntryMetadata) -> [UInt8] {
        let fields: JSONValue = .array([
            .string(profile), .string(metadata.maskedKeyId), .number(metadata.added), .optional(metadata.mfaSerial),
            .bool(metadata.session.useSessionToken), metadata.session.durationSeconds.map { .number($0) } ?? .null,
        ])
        return Array("\(format)\0\(version)\0entry\0".utf8) + Array(fields.serialized().utf8)
    }

    /// The session's associated data: the entry's own, then its sealed bytes (a fresh nonce per
    /// store), so that a session opens only beside the very entry it was stored with.
    static func sessionAssociatedData(_ entry: StoredEntry) -> [UInt8] {
        Array("\(format)\0\(version)\0session\0".utf8) + entryAssociatedData(profile: entry.profile, metadata: entry.metadata)
            + [0] + entry.sealed
    }

    /// A cached result's associated data: its id and expiry, so that no sealed result can be
    /// moved to another command line or have its expiry edited without failing to open.
    static func cachedResultAssociatedData(id: String, expires: Int) -> [UInt8] {
        Array("\(format)\0\(version)\0cached-result\0\(id)\0\(expires)".utf8)
    }

    // MARK: JSON

    var serialized: [UInt8] {
        var members: [(String, JSONValue)] = [
            ("format", .string(Self.format)),
            ("version", .number(Self.version)),
            ("cipher", .string(Self.cipher)),
            ("kdf", .object([("name", .string("scrypt")), ("n", .number(String(kdf.n))), ("r", .number(String(kdf.r))),
                             ("p", .number(String(kdf.p))), ("salt", .string(Base64.encode(kdf.salt)))])),
            ("key_check", .string(Base64.encode(keyCheck))),
            ("entries", .array(entries.map(Self.json))),
        ]
        if !cachedResults.isEmpty { members.append(("cached_results", .array(cachedResults.map(Self.json)))) }
        return Array((JSONValue.object(members).serialized(pretty: true) + "\n").utf8)
    }

    static func json(_ r: CachedResult) -> JSONValue {
        .object([("id", .string(r.id)), ("expires", .string(Timestamp.format(r.expires))), ("sealed", .string(Base64.encode(r.sealed)))])
    }

    static func json(_ e: StoredEntry) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("profile", .string(e.profile)),
            ("masked_access_key_id", .string(e.metadata.maskedKeyId)),
            ("added", .string(Timestamp.format(e.metadata.added))),
        ]
        if let serial = e.metadata.mfaSerial { members.append(("mfa_serial", .string(serial))) }
        members.append(("session_credentials", .string(e.metadata.session.useSessionToken ? "session-token" : "long-term-key")))
        if let d = e.metadata.session.durationSeconds { members.append(("session_duration_seconds", .number(d))) }
        members.append(("sealed", .string(Base64.encode(e.sealed))))
        if let session = e.session { members.append(("session", .string(Base64.encode(session)))) }
        return .object(members)
    }

    /// Parses a vault file; every problem is `corruptVault` naming the path and what is wrong
    /// (never a value: none is secret, but none is useful either).
    init(parsing bytes: [UInt8], path: String) throws(VaultError) {
        func fail(_ reason: String) -> VaultError { .corruptVault(path: path, reason: reason) }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw fail("not JSON (\(error.reason) at byte \(error.offset))") }
        guard json["format"]?.stringValue == Self.format else { throw fail("no \"format\": \"\(Self.format)\"") }
        guard let version = json["version"]?.intValue else { throw fail("no version") }
        guard version == Self.version else { throw fail("version \(version) is not one this credctl reads (\(Self.version))") }
        guard json["cipher"]?.stringValue == Self.cipher else { throw fail("cipher is not \(Self.cipher)") }
        guard let k = json["kdf"], k["name"]?.stringValue == "scrypt",
              let n = k["n"]?.intValue, let r = k["r"]?.intValue, let p = k["p"]?.intValue, n > 0, r > 0, p > 0,
              let salt = k["salt"]?.stringValue.flatMap(Base64.decode) else { throw fail("kdf is not scrypt with n, r, p and salt") }
        kdf = ScryptParameters(n: UInt64(n), r: UInt64(r), p: UInt64(p), salt: salt)
        if let problem = kdf.problem { throw fail(problem) }
        guard let check = json["key_check"]?.stringValue.flatMap(Base64.decode) else { throw fail("no key_check") }
        keyCheck = check
        guard let list = json["entries"]?.arrayValue else { throw fail("no entries list") }
        var parsed: [StoredEntry] = []
        for (index, item) in list.enumerated() {
            guard let entry = Self.storedEntry(item) else { throw fail("entry \(index + 1) is incomplete") }
            guard !parsed.contains(where: { $0.profile == entry.profile }) else { throw fail("profile '\(entry.profile)' appears twice") }
            parsed.append(entry)
        }
        entries = parsed
        // A cached result that does not parse is a cache entry lost, not a damaged vault.
        cachedResults = (json["cached_results"]?.arrayValue ?? []).compactMap { item in
            guard let id = item["id"]?.stringValue, let expires = item["expires"]?.stringValue.flatMap(Timestamp.parse),
                  let sealed = item["sealed"]?.stringValue.flatMap(Base64.decode) else { return nil }
            return CachedResult(id: id, expires: expires, sealed: sealed)
        }
    }

    static func storedEntry(_ item: JSONValue) -> StoredEntry? {
        guard let profile = item["profile"]?.stringValue, let masked = item["masked_access_key_id"]?.stringValue,
              let added = item["added"]?.stringValue.flatMap(Timestamp.parse),
              let sealed = item["sealed"]?.stringValue.flatMap(Base64.decode) else { return nil }
        let mode = item["session_credentials"]?.stringValue
        guard mode == "session-token" || mode == "long-term-key" else { return nil }
        var duration: Int?
        if let d = item["session_duration_seconds"] {
            guard let value = d.intValue else { return nil }
            duration = value
        }
        var serial: String?
        if let s = item["mfa_serial"] {
            guard let value = s.stringValue else { return nil }
            serial = value
        }
        let metadata = VaultEntryMetadata(maskedKeyId: masked, added: added, mfaSerial: serial,
                                          session: SessionCredentialSettings(useSessionToken: mode == "session-token", durationSeconds: duration))
        // A session that is not base64 is a cache entry lost, not a damaged vault.
        return StoredEntry(profile: profile, metadata: metadata, sealed: sealed, session: item["session"]?.stringValue.flatMap(Base64.decode))
    }
}

/// What a sealed entry holds: the key id and the secret, as JSON.
enum SealedKeys {
    static func plaintext(_ entry: VaultEntry) -> [UInt8] {
        Array(JSONValue.object([("aws_access_key_id", .string(entry.accessKeyId)),
                                ("aws_secret_access_key", .string(entry.secretAccessKey))]).serialized().utf8)
    }

    /// The key id and secret of an opened entry, wiping the plaintext; nil when it is not that JSON.
    static func keys(from plaintext: inout [UInt8]) -> (keyId: String, secret: String)? {
        defer { SecretCrypto.wipe(&plaintext) }
        guard let json = try? JSONValue.parse(plaintext), let id = json["aws_access_key_id"]?.stringValue,
              let secret = json["aws_secret_access_key"]?.stringValue else { return nil }
        return (id, secret)
    }
}
