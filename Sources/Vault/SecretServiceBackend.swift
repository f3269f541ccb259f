import AWSConfig
import AWSCore
import SecretCrypto

/// The `secret-service` backend: each entry is one Secret Service item (GNOME Keyring,
/// KWallet), reached through `secret-tool` (Debian package `libsecret-tools`), with the
/// attributes `service=credctl profile=NAME item_id=RANDOM` and the clear fields of
/// `vault list` as further attributes. The secret (the key id and secret key as JSON) goes to
/// `secret-tool` on standard input, never in its arguments. The keyring protects it: locked,
/// it gives nothing out (`keyringLocked`), and credctl asks for no passphrase of its own.
public struct SecretServiceBackend: VaultBackend {
    public let kind = VaultBackendKind.secretService
    public let environment: Environment
    /// The client program; `secret-tool` looked up in `PATH` unless a test says otherwise.
    public let tool: String

    static let service = "credctl"

    public init(environment: Environment, tool: String = "secret-tool") {
        self.environment = environment
        self.tool = tool
    }

    public var location: String { "secret-service (\(tool) over the D-Bus session bus)" }

    public func list() throws(VaultError) -> [VaultListing] {
        var newest: [String: SecretServiceItem] = [:]
        var order: [String] = []
        for item in try search([:]) {
            if newest[item.profile] == nil { order.append(item.profile) }
            if newest[item.profile].map({ item.metadata.added >= $0.metadata.added }) ?? true { newest[item.profile] = item }
        }
        return order.compactMap { newest[$0] }.map { VaultListing(profile: $0.profile, metadata: $0.metadata, backend: location) }
    }

    public func metadata(_ profile: String) throws(VaultError) -> VaultEntryMetadata? {
        try newestItem(profile)?.metadata
    }

    public func entry(_ profile: String) throws(VaultError) -> VaultEntry {
        guard let item = try newestItem(profile) else { throw .notFound(profile: profile, vault: location) }
        return try read(item)
    }

    public func store(_ entries: [VaultEntry], replace: Bool) throws(VaultError) {
        for entry in entries { try VaultInputRules.check(entry) }
        guard Set(entries.map(\.profile)).count == entries.count else { throw .invalidInput("a profile is named twice") }
        let existing = try search([:])
        if !replace, let taken = entries.first(where: { e in existing.contains { $0.profile == e.profile } }) {
            throw .alreadyExists(profile: taken.profile, vault: location)
        }
        // New items first (the old ones stay until every new one reads back), so a failure
        // part-way leaves every profile with a working key.
        var added: [SecretServiceItem] = []
        do throws(VaultError) {
            for entry in entries {
                let item = try SecretServiceItem(entry: entry)
                try storeItem(item, entry: entry)
                added.append(item)
                guard try read(item) == entry else { throw VaultError.io("the keyring did not give back what was stored for profile '\(entry.profile)'") }
            }
        } catch {
            for item in added { _ = try? clear(["profile": item.profile, "item_id": item.itemId]) }
            throw error
        }
        for old in existing where entries.contains(where: { $0.profile == old.profile }) {
            _ = try clear(["profile": old.profile, "item_id": old.itemId])
        }
    }

    public func remove(_ profiles: [String]) throws(VaultError) {
        guard Set(profiles).count == profiles.count else { throw .invalidInput("a profile is named twice") }
        let existing = try search([:])
        var targets: [SecretServiceItem] = []
        for profile in profiles {
            let items = existing.filter { $0.profile == profile }
            guard let first = items.first else { throw .notFound(profile: profile, vault: location) }
            targets.append(first)
        }
        // A locked keyring would refuse the first clear; find out before anything changes.
        if let first = targets.first { _ = try read(first) }
        for profile in profiles {
            guard try clear(["profile": profile]) else { throw .keyringLocked("cannot delete the item of profile '\(profile)'") }
        }
    }

    /// The keyring keeps no session credentials: every item credctl writes there is an entry
    /// (`list` reads them all alike), and a session in clear anywhere else is what the vault is
    /// for avoiding. Each run without the agent calls `GetSessionToken` again.
    public func session(_ profile: String) throws(VaultError) -> [UInt8]? { nil }

    public func storeSession(_ profile: String, _ plaintext: [UInt8]) throws(VaultError) {}

    // MARK: secret-tool

    func newestItem(_ profile: String) throws(VaultError) -> SecretServiceItem? {
        try search(["profile": profile]).max { $0.metadata.added < $1.metadata.added }
    }

    /// The item's keys; `keyringLocked` when the item exists but the keyring gives nothing out.
    func read(_ item: SecretServiceItem) throws(VaultError) -> VaultEntry {
        var result = try run(["lookup"] + Self.pairs(["profile": item.profile, "item_id": item.itemId]), input: nil)
        defer { SecretCrypto.wipe(&result.standardOutput) }
        guard result.status == 0, !result.standardOutput.isEmpty else {
            try classify(result, action: "read the item of profile '\(item.profile)'")
            throw .keyringLocked("the item of profile '\(item.profile)' exists but the keyring gives out no secret")
        }
        guard let keys = SealedKeys.keys(from: &result.standardOutput), Redaction.keyId(keys.keyId) == item.metadata.maskedKeyId else {
            throw .corruptEntry(profile: item.profile, vault: location)
        }
        return VaultEntry(profile: item.profile, accessKeyId: keys.keyId, secretAccessKey: keys.secret, metadata: item.metadata)
    }

    func storeItem(_ item: SecretServiceItem, entry: VaultEntry) throws(VaultError) {
        var secret = SealedKeys.plaintext(entry)
        defer { SecretCrypto.wipe(&secret) }
        let result = try run(["store", "--label=credctl: AWS access key of profile \(entry.profile)"] + Self.pairs(item.attributes), input: secret)
        guard result.status == 0 else {
            try classify(result, action: "store the key of profile '\(entry.profile)'")
            throw .keyringUnavailable("secret-tool store exited with status \(result.status)")
        }
    }

    /// Deletes the items with these attributes (and `service=credctl`); false when the keyring refused.
    func clear(_ attributes: [String: String]) throws(VaultError) -> Bool {
        let result = try run(["clear"] + Self.pairs(attributes), input: nil)
        if result.status == 0 { return true }
        try classify(result, action: "delete")
        return try search(attributes).isEmpty
    }

    /// Every credctl item with these attributes; works on a locked keyring too (attributes are not secret).
    func search(_ attributes: [String: String]) throws(VaultError) -> [SecretServiceItem] {
        var result = try run(["search", "--all"] + Self.pairs(attributes), input: nil)
        defer { SecretCrypto.wipe(&result.standardOutput) }
        guard result.status == 0 else {
            try classify(result, action: "search the keyring")
            return []
        }
        guard let items = SecretServiceItem.parseSearchOutput(standardOutput: result.standardOutput, standardError: result.standardError) else {
            throw .keyringUnavailable("cannot read what secret-tool search printed (items with service=credctl that credctl did not write?)")
        }
        return items
    }

    /// Throws the error `secret-tool`'s message names; returns when it names none (a silent
    /// exit 1 is how it reports "no such item").
    func classify(_ result: Subprocess.Result, action: String) throws(VaultError) {
        let message = String(decoding: result.standardError, as: UTF8.self)
            .split(separator: "\n").first.map { String($0).trimmingSpaces() } ?? ""
        if message.isEmpty { return }
        if message.lowercased().contains("locked") { throw .keyringLocked("cannot \(action): \(message)") }
        throw .keyringUnavailable("cannot \(action): \(message)")
    }

    /// Runs `secret-tool` within the standard limits: one that does not finish (a keyring prompt
    /// nobody answers) or prints more than the limit is an unavailable keyring, never read.
    func run(_ arguments: [String], input: [UInt8]?) throws(VaultError) -> Subprocess.Result {
        let result: Subprocess.Result
        do {
            if let input { result = try Subprocess.run([tool] + arguments, environment: environment.variables, input: input) }
            else { result = try Subprocess.run([tool] + arguments, environment: environment.variables) }
        } catch {
            throw .keyringUnavailable("cannot run \(tool): \(error.reason) (Debian: apt-get install libsecret-tools)")
        }
        if result.timedOut {
            throw .keyringUnavailable("\(tool) did not finish within \(Int(Subprocess.Limits.standard.timeout)) s and was ended")
        }
        if result.outputExceeded {
            throw .keyringUnavailable("\(tool) printed more than \(Subprocess.Limits.standard.outputBytes) bytes; its output is not read")
        }
        return result
    }

    /// `service credctl k1 v1 k2 v2 …`, keys sorted so that runs are reproducible.
    static func pairs(_ attributes: [String: String]) -> [String] {
        ["service", service] + attributes.filter { $0.key != "service" }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }
}
