import AWSCore
import SigV4

/// What consumers of a vault profile get: by default short-lived session credentials from
/// `GetSessionToken` (the long-term key never leaves credctl), or, when a profile opts out,
/// the long-term key itself.
public struct SessionCredentialSettings: Sendable, Equatable {
    /// False: hand out the long-term key (for tools that must call IAM or STS APIs that refuse
    /// session credentials without MFA).
    public var useSessionToken: Bool
    /// `GetSessionToken`'s `DurationSeconds`; nil means `defaultDurationSeconds`.
    public var durationSeconds: Int?

    /// One hour, as aws-vault: long enough for a session, short enough to limit a leak.
    public static let defaultDurationSeconds = 3600

    public init(useSessionToken: Bool = true, durationSeconds: Int? = nil) {
        self.useSessionToken = useSessionToken
        self.durationSeconds = durationSeconds
    }
}

/// The clear fields of an entry: shown by `vault list` without unlocking, and authenticated
/// (bound into the sealed entry's associated data), so that changing them breaks the entry.
public struct VaultEntryMetadata: Sendable, Equatable {
    /// `AKIA************MPLE`: never the whole id.
    public var maskedKeyId: String
    /// Seconds since 1970.
    public var added: Int
    public var mfaSerial: String?
    public var session: SessionCredentialSettings

    public init(maskedKeyId: String, added: Int, mfaSerial: String? = nil, session: SessionCredentialSettings = .init()) {
        self.maskedKeyId = maskedKeyId
        self.added = added
        self.mfaSerial = mfaSerial
        self.session = session
    }
}

/// One profile's long-term key as the vault holds it.
public struct VaultEntry: Sendable, Equatable, CustomStringConvertible {
    public var profile: String
    public var accessKeyId: String
    public var secretAccessKey: String
    public var metadata: VaultEntryMetadata

    public init(profile: String, accessKeyId: String, secretAccessKey: String, metadata: VaultEntryMetadata) {
        self.profile = profile
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.metadata = metadata
    }

    /// An entry for a key added now: its metadata derived from the key.
    public init(profile: String, accessKeyId: String, secretAccessKey: String, added: Int,
                mfaSerial: String? = nil, session: SessionCredentialSettings = .init()) {
        self.init(profile: profile, accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                  metadata: VaultEntryMetadata(maskedKeyId: Redaction.keyId(accessKeyId), added: added,
                                               mfaSerial: mfaSerial, session: session))
    }

    public var signing: SigningCredentials {
        SigningCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)
    }

    public var description: String {
        "VaultEntry(\(profile): \(metadata.maskedKeyId), secretAccessKey: <redacted>)"
    }
}

/// One line of `vault list`.
public struct VaultListing: Sendable, Equatable {
    public var profile: String
    public var metadata: VaultEntryMetadata
    /// Which backend holds it, in words (`file /home/me/.aws/credctl/vault.json`).
    public var backend: String

    public init(profile: String, metadata: VaultEntryMetadata, backend: String) {
        self.profile = profile
        self.metadata = metadata
        self.backend = backend
    }

    /// Whole days since the key was added.
    public func ageDays(now: Int) -> Int { max(0, now - metadata.added) / 86_400 }
}

/// What the vault accepts, checked before anything is asked or written.
public enum VaultInputRules {
    /// Profile names as the shared files can hold them as a section name: printable, no
    /// brackets, no leading or trailing space.
    public static func profileProblem(_ name: String) -> String? {
        if name.isEmpty { return "the profile name is empty" }
        if name.utf8.count > 128 { return "the profile name is longer than 128 bytes" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "[" || $0 == "]" }) {
            return "the profile name '\(name)' holds a control character or a bracket"
        }
        if name.first == " " || name.last == " " || name.first == "\t" || name.last == "\t" { return "the profile name starts or ends with a space" }
        return nil
    }

    /// A long-term access key id: `AKIA` and 16 to 124 more upper-case letters and digits.
    public static func keyIdProblem(_ id: String) -> String? {
        let type = KeyType(accessKeyId: id)
        if type == .temporary {
            return "\(Redaction.keyId(id)) is a temporary key (ASIA…); the vault holds long-term keys (AKIA…)"
        }
        let body = id.utf8
        guard type == .longTerm, (20...128).contains(body.count),
              body.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else {
            return "the access key id is not a long-term key id (AKIA followed by 16 or more capital letters and digits)"
        }
        return nil
    }

    /// A secret access key: 16 to 256 printable characters without spaces (never quoted back).
    public static func secretProblem(_ secret: String) -> String? {
        let bytes = secret.utf8
        guard (16...256).contains(bytes.count), bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "the secret access key must be 16 to 256 printable characters without spaces"
        }
        return nil
    }

    /// `GetSessionToken` accepts 900 seconds to 36 hours.
    public static func durationProblem(_ seconds: Int) -> String? {
        (900...129_600).contains(seconds) ? nil : "session duration must be between 900 and 129600 seconds (15 minutes to 36 hours), not \(seconds)"
    }

    public static func check(_ entry: VaultEntry) throws(VaultError) {
        if let p = profileProblem(entry.profile) ?? keyIdProblem(entry.accessKeyId) ?? secretProblem(entry.secretAccessKey)
            ?? entry.metadata.session.durationSeconds.flatMap(durationProblem) {
            throw .invalidInput(p)
        }
    }
}
