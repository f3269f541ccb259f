import AWSConfig
import AWSCore
import SigV4
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary credentials from assume-role and web identity kept between runs, one JSON file
/// (mode 0600, folder 0700) per set of role settings, so that repeated commands neither call
/// STS nor ask for an MFA code again until the credentials near expiry.
public struct CredentialCache: Sendable {
    public struct Entry: Sendable {
        public var credentials: SigningCredentials
        public var expiration: Int
        public var assumedRoleArn: String
        /// The account the credentials belong to, when their source said (kept in memory by the
        /// agent for `credctl cached`; not written to cache files).
        public var accountId: String?

        public init(credentials: SigningCredentials, expiration: Int, assumedRoleArn: String = "", accountId: String? = nil) {
            self.credentials = credentials
            self.expiration = expiration
            self.assumedRoleArn = assumedRoleArn
            self.accountId = accountId
        }
    }

    /// Refresh when less than this many seconds remain (botocore's advisory window).
    public static let refreshWindow = 15 * 60
    /// Still usable, if a refresh fails, while at least this many seconds remain (botocore's mandatory window).
    public static let mandatoryWindow = 10 * 60

    public let directory: String
    /// When set (inside `credctl agent`), entries live in memory only and no file is touched.
    let held: HeldCredentials?

    public init(directory: String) {
        self.directory = directory
        held = nil
    }

    /// True inside the agent: entries in memory only.
    public var isHeld: Bool { held != nil }

    /// A cache that writes nothing to disk: entries are kept in `held`.
    public init(held: HeldCredentials) {
        directory = ""
        self.held = held
    }

    /// The cache of one kind of credentials (`sso`): a subfolder on disk; the same memory when
    /// held (keys of different kinds never meet: each is the digest of its own settings).
    public func subfolder(_ name: String) -> CredentialCache {
        if let held { return CredentialCache(held: held) }
        return CredentialCache(directory: directory + "/" + name)
    }

    /// `CREDCTL_CACHE_DIR`, else `~/.aws/credctl/cache`.
    public static func standard(_ env: Environment) -> CredentialCache {
        CredentialCache(directory: StatePaths.resolve(env).credentialCache)
    }

    /// The file name for a set of settings: the SHA-256 of their canonical text.
    public static func key(_ settings: [(String, String?)]) -> String {
        let text = settings.compactMap { name, value in value.map { "\(name)=\($0)" } }.joined(separator: "\n")
        return Hex.encode(Digest.sha256(Array(("credctl-cache-v1\n" + text).utf8)))
    }

    /// The cached entry, if any and readable (a damaged file, or one whose credentials hold a
    /// control character, counts as none: it is refreshed, never used).
    public func load(_ key: String) -> Entry? {
        if let held { return held.load(key) }
        guard let bytes = try? LocalFile.read(path(key), owner: .user), let json = try? JSONValue.parse(bytes),
              let doc = try? TemporaryCredentialsDocument(json: json, tokenKey: "SessionToken", requireToken: true,
                                                           requireExpiration: true, source: "cache"),
              let expiration = doc.expiration,
              CredentialChecks.fieldWithControlCharacter(doc.credentials) == nil else { return nil }
        return Entry(credentials: doc.credentials, expiration: expiration, assumedRoleArn: json["AssumedRoleArn"]?.stringValue ?? "")
    }

    public func store(_ entry: Entry, key: String) throws(AWSError) {
        if let held { held.store(entry, key: key); return }
        let json: JSONValue = .object([
            ("Version", .number(1)),
            ("AccessKeyId", .string(entry.credentials.accessKeyId)),
            ("SecretAccessKey", .string(entry.credentials.secretAccessKey)),
            ("SessionToken", .optional(entry.credentials.sessionToken)),
            ("Expiration", .string(Timestamp.format(entry.expiration))),
            ("AssumedRoleArn", .string(entry.assumedRoleArn)),
        ])
        do {
            try SecretFile.makePrivateDirectory(directory)
            try SecretFile.write(Array(json.serialized().utf8), to: path(key))
        } catch {
            throw .configuration(ConfigurationError("credential cache: \(error) (use --no-cache to do without)"))
        }
    }

    /// Deletes the entry, if there is one.
    public func remove(_ key: String) {
        if held != nil { return }  // memory holds no file left from earlier versions
        unlink(path(key))
    }

    func path(_ key: String) -> String { "\(directory)/\(key).json" }
}
