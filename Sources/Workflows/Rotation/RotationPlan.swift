import AWSClients
import AWSCore

/// How `credctl rotate` was asked to behave.
public struct RotationOptions: Sendable {
    /// The IAM user whose key to rotate; nil for the caller's own user.
    public var user: String?
    /// At the two-key limit, delete the user's other key even when it is active.
    public var deleteOtherKey: Bool
    /// Stop after deactivating the old key instead of deleting it.
    public var keepOldInactive: Bool
    public var dryRun: Bool
    /// Seconds to keep retrying a new key IAM does not know yet.
    public var propagationTimeout: Double
    /// `--to`: where the new key goes (empty: the profiles of the credentials file that hold the
    /// old key, or the vault entry the credentials in use come from).
    public var destinations: [DestinationSpec]
    /// `--verify-cmd`: run once every destination holds the new key and STS accepts it.
    public var verifyCommand: String?
    /// `--command-timeout`: seconds each `exec:` destination and the `--verify-cmd` may run.
    public var commandTimeout: Double
    /// `--abandon`: undo the interrupted rotation without running its commands again.
    public var abandon: Bool

    /// Five minutes.
    public static let defaultCommandTimeout: Double = 300

    public init(user: String? = nil, deleteOtherKey: Bool = false, keepOldInactive: Bool = false, dryRun: Bool = false,
                propagationTimeout: Double = 60, destinations: [DestinationSpec] = [], verifyCommand: String? = nil,
                commandTimeout: Double = RotationOptions.defaultCommandTimeout, abandon: Bool = false) {
        self.user = user
        self.deleteOtherKey = deleteOtherKey
        self.keepOldInactive = keepOldInactive
        self.dryRun = dryRun
        self.propagationTimeout = propagationTimeout
        self.destinations = destinations
        self.verifyCommand = verifyCommand
        self.commandTimeout = commandTimeout
        self.abandon = abandon
    }
}

/// One destination of a plan: its name, what it holds now, and what the rotation does there.
public struct PlannedDestination: Sendable, Equatable {
    public var destination: String
    /// `old key`, `nothing`, or `unknown` (a command).
    public var holds: String
    public var action: String
}

/// What a rotation will do, worked out before anything changes.
public struct RotationPlan: Sendable {
    public var account: String
    public var user: String
    public var oldKey: AccessKeyMetadata
    public var destinations: [PlannedDestination]
    public var credentialsFile: String
    public var verifyCommand: String?
    /// The user's other key, deleted first (it is inactive, or `--delete-other-key` was given).
    public var otherKeyToDelete: AccessKeyMetadata?
    public var keepOldInactive: Bool
    /// A rotation that journal says was interrupted, finished or undone first.
    public var pendingJournal: RotationJournal?

    /// The profiles of the credentials file among the destinations.
    public var profiles: [String] {
        destinations.compactMap { $0.destination.hasPrefix("profile:") ? String($0.destination.dropFirst(8)) : nil }
    }

    /// The steps in words, for the confirmation prompt and `--dry-run`.
    public var steps: [String] {
        var lines: [String] = []
        if let j = pendingJournal {
            lines.append("finish or undo the interrupted rotation of \(j.started > 0 ? Timestamp.format(j.started) : "unknown time") (step \(j.step.rawValue))")
        }
        if let other = otherKeyToDelete {
            lines.append("delete the user's other key \(other.id) (\(other.status.rawValue)) to stay within the two-key limit")
        }
        lines.append("create a new access key for \(user)")
        for d in destinations { lines.append(d.action) }
        lines.append("check the new key against STS, waiting while IAM propagates it")
        if let verifyCommand { lines.append("run the --verify-cmd `\(verifyCommand)` with the new key on stdin") }
        lines.append("deactivate the old key \(oldKey.id)")
        if !keepOldInactive { lines.append("delete the old key \(oldKey.id)") }
        return lines
    }
}

/// The old key's state after a rotation.
public enum OldKeyState: String, Sendable {
    case deleted, inactive
}

/// What a finished rotation did.
public struct RotationResult: Sendable {
    public var account: String
    public var user: String
    public var oldKeyId: String
    public var newKeyId: String
    public var destinations: [String]
    public var credentialsFile: String
    public var oldKeyState: OldKeyState
    /// True when this run finished a rotation an earlier run had begun.
    public var finishedInterrupted: Bool

    /// The profiles of the credentials file among the destinations.
    public var profiles: [String] {
        destinations.compactMap { $0.hasPrefix("profile:") ? String($0.dropFirst(8)) : nil }
    }
}

/// What `rotate --abandon` did.
public struct AbandonedRotation: Sendable, Equatable {
    public var user: String
    public var oldKeyId: String
    /// Keys the abandoned run made, deleted.
    public var deleted: [String]
    /// Keys it cannot be proven to have made, kept.
    public var kept: [String]
    /// `exec:` destinations that may hold the deleted key: not run again.
    public var commandsNotRun: [String]
}

public enum RotationOutcome: Sendable {
    case planned(RotationPlan)
    case declined(RotationPlan)
    case rotated(RotationResult)
    case abandoned(AbandonedRotation)
}

/// A rotation that stopped. Every case says, in `left`, what state the keys and the file are
/// in, so that the user never has to guess whether a key was lost.
public enum RotationError: ReportableError {
    /// Refused before changing anything (two-key limit, another rotation running): exit 1.
    case refused(String)
    /// Undone: every destination holds the old key again and the new key is deleted: exit 1.
    case rolledBack(String, left: String)
    /// Stopped by an error; `left` says what is left and what the next `rotate` does about it.
    /// The exit code is the error's.
    case stopped(AWSError, left: String)

    public var description: String {
        switch self {
        case .refused(let m): return m
        case .rolledBack(let m, _): return m
        case .stopped(let e, _): return e.description
        }
    }

    /// The one line saying what is left, when there is more to say than the message.
    public var left: String? {
        switch self {
        case .refused: return nil
        case .rolledBack(_, let left), .stopped(_, let left): return left.isEmpty ? nil : left
        }
    }

    /// Refused or rolled back: 1, nothing lost; stopped: the error's own code.
    public var exitStatus: ExitStatus {
        switch self {
        case .refused, .rolledBack: return .checkFailed
        case .stopped(let error, _): return error.exitStatus
        }
    }

    public var hint: String? { left }
}
