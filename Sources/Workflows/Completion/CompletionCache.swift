import AWSConfig
import AWSCore
import AWSCredentials
import Platform
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names a completion read from a service, kept `lifetime` seconds so that the next Tabs are
/// instant: one file (0600, in a 0700 folder under the credential cache, `completion/`) per
/// profile, region, endpoint, service and query. Names only: no value is ever read, so none is
/// kept. A damaged, foreign or stale file counts as none.
public struct CompletionCache: Sendable {
    public static let lifetime = 60

    /// What a query gave: its names, and whether they are all there are (false when the
    /// reading stopped at `CompletionNames.limit`).
    public struct Entry: Sendable, Equatable {
        public var names: [String]
        public var complete: Bool

        public init(names: [String], complete: Bool) {
            self.names = names
            self.complete = complete
        }
    }

    public let directory: String
    let now: @Sendable () -> Int

    public init(directory: String, now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.directory = directory
        self.now = now
    }

    /// `completion/` in `CREDCTL_CACHE_DIR`, else in `~/.aws/credctl/cache`.
    public static func standard(_ env: Environment) -> CompletionCache {
        CompletionCache(directory: StatePaths.resolve(env).credentialCache + "/completion")
    }

    /// The file name for a query's settings (the same digest as the credential cache's).
    public static func key(_ settings: [(String, String?)]) -> String {
        CredentialCache.key([("kind", "completion-v1")] + settings)
    }

    /// The entry, when there is one written less than `lifetime` seconds ago.
    public func load(_ key: String) -> Entry? {
        guard let bytes = try? LocalFile.read(path(key), limit: 1 << 20, owner: .user), let json = try? JSONValue.parse(bytes),
              json["Version"]?.intValue == 1, let written = json["Written"]?.intValue, let names = json["Names"]?.arrayValue else { return nil }
        let age = now() - written
        guard age >= 0, age < Self.lifetime else { return nil }
        return Entry(names: names.compactMap(\.stringValue), complete: json["Complete"]?.boolValue ?? false)
    }

    /// Writes the entry; a folder or file that cannot be written is no error (completion goes on uncached).
    public func store(_ entry: Entry, key: String) {
        let json: JSONValue = .object([
            ("Version", .number(1)),
            ("Written", .number(now())),
            ("Complete", .bool(entry.complete)),
            ("Names", .array(entry.names.map(JSONValue.string))),
        ])
        do {
            try SecretFile.makePrivateDirectory(directory, parents: 1)
            try SecretFile.write(Array(json.serialized().utf8), to: path(key))
        } catch {
            return
        }
        removeStale()
    }

    /// Deletes the entries no longer used (older than `lifetime`, or unreadable), at most
    /// `sweepLimit` looked at a time, so that the folder holds the last minute's folders only.
    func removeStale() {
        for name in LocalFile.entries(of: directory).prefix(Self.sweepLimit) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let key = String(name.dropLast(".json".count))
            if load(key) == nil { unlink(path(key)) }
        }
    }

    static let sweepLimit = 200

    func path(_ key: String) -> String { "\(directory)/\(key).json" }
}
