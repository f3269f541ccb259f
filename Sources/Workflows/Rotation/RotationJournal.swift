import AWSConfig
import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a rotation has done so far, written (atomically, mode 0600) before each step that
/// changes something, so that the next run can finish or undo a rotation that was killed.
/// It holds key ids, destination names and version ids, never a secret.
public struct RotationJournal: Sendable, Equatable {
    public enum Step: String, Sendable, Comparable {
        /// About to call CreateAccessKey; `keysBefore` lists the keys that existed.
        case creating
        /// `newKeyId` exists; its secret is only in the running process and the destinations written.
        case created
        /// Every destination holds the new key.
        case written
        /// STS accepted the new key, and the `--verify-cmd` passed.
        case verified
        /// The old key is inactive.
        case deactivated

        static let order: [Step] = [.creating, .created, .written, .verified, .deactivated]
        public static func < (a: Step, b: Step) -> Bool { order.firstIndex(of: a)! < order.firstIndex(of: b)! }
    }

    public var account: String
    public var user: String
    /// The credentials file of the run (where `profile:` destinations are).
    public var credentialsFile: String
    /// The `--to` destinations as given (empty: the default), which a later run must repeat.
    public var requested: [String]
    /// Whether a `--verify-cmd` was given.
    public var verifies: Bool
    /// Each destination's progress, in the order they are written.
    public var destinations: [DestinationRecord]
    public var oldKeyId: String
    public var keysBefore: [String]
    public var newKeyId: String?
    public var keepOldInactive: Bool
    public var step: Step
    public var started: Int

    public init(account: String, user: String, credentialsFile: String, requested: [String] = [], verifies: Bool = false,
                destinations: [DestinationRecord], oldKeyId: String, keysBefore: [String], newKeyId: String? = nil,
                keepOldInactive: Bool, step: Step, started: Int) {
        self.account = account
        self.user = user
        self.credentialsFile = credentialsFile
        self.requested = requested
        self.verifies = verifies
        self.destinations = destinations
        self.oldKeyId = oldKeyId
        self.keysBefore = keysBefore
        self.newKeyId = newKeyId
        self.keepOldInactive = keepOldInactive
        self.step = step
        self.started = started
    }

    /// The profiles of the credentials file among the destinations.
    public var profiles: [String] {
        destinations.compactMap { r in r.destination.hasPrefix("profile:") ? String(r.destination.dropFirst(8)) : nil }
    }

    /// Where the key is, in words: the credentials file when it is the only place, else the destinations.
    var holders: Holders { Holders(credentialsFile: credentialsFile, destinations: destinations.map(\.destination)) }

    var json: JSONValue {
        .object([
            ("Version", .number(2)), ("Account", .string(account)), ("User", .string(user)),
            ("CredentialsFile", .string(credentialsFile)), ("Requested", .array(requested.map { .string($0) })),
            ("VerifyCommand", .bool(verifies)), ("Destinations", .array(destinations.map(\.json))),
            ("OldKeyId", .string(oldKeyId)), ("KeysBefore", .array(keysBefore.map { .string($0) })),
            ("NewKeyId", .optional(newKeyId)), ("KeepOldInactive", .bool(keepOldInactive)),
            ("Step", .string(step.rawValue)), ("Started", .string(Timestamp.format(started))),
        ])
    }

    /// Version 2, or version 1 (credentials-file profiles only, from before destinations).
    init?(json: JSONValue) {
        guard let version = Self.wholeNumber(json["Version"]), version == 1 || version == 2,
              let account = json["Account"]?.stringValue, let user = json["User"]?.stringValue,
              let file = json["CredentialsFile"]?.stringValue, let old = json["OldKeyId"]?.stringValue,
              let before = json["KeysBefore"]?.arrayValue,
              let step = json["Step"]?.stringValue.flatMap(Step.init(rawValue:)) else { return nil }
        var records: [DestinationRecord] = []
        if version == 1 {
            guard let profiles = json["Profiles"]?.arrayValue else { return nil }
            let state: DestinationRecord.State = step >= .written ? .written : step >= .created ? .writing : .pending
            records = profiles.compactMap(\.stringValue).map { DestinationRecord(destination: "profile:\($0)", state: state) }
        } else {
            guard let list = json["Destinations"]?.arrayValue else { return nil }
            for item in list {
                guard let record = DestinationRecord(json: item) else { return nil }
                records.append(record)
            }
        }
        self.init(account: account, user: user, credentialsFile: file,
                  requested: json["Requested"]?.arrayValue?.compactMap(\.stringValue) ?? [], verifies: json["VerifyCommand"]?.boolValue ?? false,
                  destinations: records, oldKeyId: old, keysBefore: before.compactMap(\.stringValue), newKeyId: json["NewKeyId"]?.stringValue,
                  keepOldInactive: json["KeepOldInactive"]?.boolValue ?? false, step: step,
                  started: json["Started"]?.stringValue.flatMap(Timestamp.parse) ?? 0)
    }
}

extension RotationJournal {
    /// A whole number written as one (`2`, not `2.0` or `1e30`); nil for anything else, never a trap.
    static func wholeNumber(_ value: JSONValue?) -> Int? {
        guard case .number(let text)? = value else { return nil }
        return Int(text)
    }
}

/// Where a rotation's key is, for the lines that say what is left: `~/.aws/credentials holds`
/// when the credentials file is the only place, else `secretsmanager:app, exec:./push.sh hold`.
struct Holders {
    let credentialsFile: String
    let destinations: [String]

    var onlyProfiles: Bool { destinations.allSatisfy { $0.hasPrefix("profile:") } }
    var text: String { onlyProfiles ? credentialsFile : destinations.joined(separator: ", ") }
    var plural: Bool { !onlyProfiles && destinations.count > 1 }
    /// `FILE holds` / `A, B hold`.
    func hold(_ verbSingular: String = "holds", _ verbPlural: String = "hold") -> String {
        "\(text) \(plural ? verbPlural : verbSingular)"
    }
}

/// Where rotations keep their journals and locks: `CREDCTL_STATE_DIR`, else `~/.aws/credctl`,
/// in `rotation/` (mode 0700). One journal and one lock per account and user.
public struct RotationState: Sendable {
    public let directory: String
    /// Seconds since 1970, for the journal's times (a test's clock in tests).
    public let now: @Sendable () -> Int

    public init(directory: String, now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.directory = directory
        self.now = now
    }

    public static func standard(_ env: Environment, now: @escaping @Sendable () -> Int = { WallClock.now() }) -> RotationState {
        RotationState(directory: StatePaths.directory(env) + "/rotation", now: now)
    }

    public func journalPath(account: String, user: String) -> String { "\(directory)/\(account)-\(user).json" }
    public func lockPath(account: String, user: String) -> String { "\(directory)/\(account)-\(user).lock" }
    /// Serialises every read-modify-write of a credentials file by credctl.
    public var credentialsFileLockPath: String { "\(directory)/credentials-file.lock" }

    public func prepare() throws(AWSError) {
        do { try SecretFile.makePrivateDirectory(directory, parents: 1) } catch { throw error.awsError }
    }

    /// The journal, nil when there is none; an unreadable one — or one that breaks a journal's
    /// rules (`RotationJournal.inconsistency`) — is an error, never ignored, never trusted.
    public func load(account: String, user: String) throws(AWSError) -> RotationJournal? {
        let path = journalPath(account: account, user: user)
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path, owner: .user) } catch { throw error.awsError }
        guard let bytes else { return nil }
        let advice = "move it away after checking the user's keys with credctl keys list --user \(user)"
        guard let json = try? JSONValue.parse(bytes), let journal = RotationJournal(json: json) else {
            throw .configuration(ConfigurationError("\(path) is not a rotation journal credctl can read; \(advice)"))
        }
        if let reason = journal.inconsistency(account: account, user: user) {
            throw .configuration(ConfigurationError("\(path) is not a rotation journal credctl can trust (\(reason)); \(advice)"))
        }
        return journal
    }

    public func save(_ journal: RotationJournal) throws(AWSError) {
        do {
            try SecretFile.write(Array((journal.json.serialized(pretty: true) + "\n").utf8),
                                 to: journalPath(account: journal.account, user: journal.user))
        } catch {
            throw error.awsError
        }
    }

    /// Writes the journal after the first change: recovery reads what IAM and the file hold, so a
    /// journal that cannot be updated (a full disk) only loses a hint, which is said.
    public func saveBestEffort(_ journal: RotationJournal, report: (String) -> Void) {
        do { try save(journal) } catch {
            report("could not update the rotation journal (\(error)); going on: the next run reads IAM and the file")
        }
    }

    /// Takes the lock of one user's rotations, or says who holds it.
    public func lock(account: String, user: String) throws -> FileLock {
        let path = lockPath(account: account, user: user)
        do { return try FileLock.acquire(path) } catch {
            if case .held(let pid) = error {
                throw RotationError.refused("another credctl rotate of user \(user) is running\(pid.map { " (pid \($0))" } ?? ""); nothing was changed")
            }
            throw AWSError.configuration(ConfigurationError("cannot lock \(path): \(error)"))
        }
    }

    public func remove(account: String, user: String) {
        unlink(journalPath(account: account, user: user))
    }
}
