import AWSClients
import AWSCore

/// One place a rotation puts the new key. Every destination can say what it holds (or that it
/// cannot: a command), check before any change that writing can work, write the new key, and
/// put back what it held before. What a restore needs besides the old key (a secret's version,
/// a parameter's versions) is kept in its `DestinationRecord`, which the journal saves — never
/// a secret.
protocol KeyDestination: Sendable {
    var spec: DestinationSpec { get }
    /// Whether `holding()` can say what the destination holds (false for a command).
    var isReadable: Bool { get }

    /// What it holds now.
    func holding() throws(AWSError) -> DestinationHolding

    /// What it holds now, read against its journal record: a destination written in two steps
    /// says `.unknown` while only one of them landed, so a half-written pair is never taken for a key.
    func holding(record: DestinationRecord) throws(AWSError) -> DestinationHolding

    /// Why the rotation is rolled back when the write failed (the error in words, naming the destination).
    func writeFailure(_ error: AWSError) -> String

    /// Notes, before the write is journaled, what a restore needs (the version that holds the
    /// old key) and what a repeated write must reuse (a request token). Keeps what is set.
    func prepare(_ record: inout DestinationRecord) throws(AWSError)

    /// Everything that can be checked before the first change, given what it holds now.
    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError)

    /// Puts `key` there in place of `old` (the old key id it held, if any). `record` is saved
    /// to the journal before this is called and after it returns.
    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError)

    /// Puts back what the destination held before `write` (`old` when the old key's secret is
    /// known); doing nothing when it holds that already. Safe to call again after a stop.
    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError)

    /// The key it held before the rotation, read from what the store keeps of earlier values
    /// (a secret's previous version, a parameter's history): the old key's secret after a kill.
    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair?
}

extension KeyDestination {
    /// Why the rotation is rolled back when this destination's write failed.
    func writeFailure(_ error: AWSError) -> String {
        "could not deliver the new key to \(DestinationFactory.label(spec)): \(error)"
    }

    func prepare(_ record: inout DestinationRecord) throws(AWSError) {}
    func holding(record: DestinationRecord) throws(AWSError) -> DestinationHolding { try holding() }
}

/// A destination's part of the rotation journal: how far its write got and what its restore
/// needs. Only ids and version numbers, never a secret.
public struct DestinationRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Not written yet.
        case pending
        /// A write was started: it may or may not have landed.
        case writing
        /// It holds the new key.
        case written
        /// It holds what it held before again.
        case restored
    }

    /// The destination as `DestinationSpec.description` writes it.
    public var destination: String
    public var state: State
    /// Secrets Manager: the version that was `AWSCURRENT` before, and the new version's id (the
    /// request token, chosen before the write so a retry or a later run makes the same version).
    public var secretVersionBefore: String?
    public var secretVersionWritten: String?
    /// Parameter Store: the versions of the two parameters before (nil: they did not exist).
    public var parameterVersionsBefore: [Int]?

    public init(destination: String, state: State = .pending) {
        self.destination = destination
        self.state = state
    }

    var json: JSONValue {
        .object([
            ("Destination", .string(destination)), ("State", .string(state.rawValue)),
            ("SecretVersionBefore", .optional(secretVersionBefore)), ("SecretVersionWritten", .optional(secretVersionWritten)),
            ("ParameterVersionsBefore", parameterVersionsBefore.map { .array($0.map { .number($0) }) } ?? .null),
        ])
    }

    init?(json: JSONValue) {
        guard let destination = json["Destination"]?.stringValue, let state = json["State"]?.stringValue.flatMap(State.init(rawValue:)) else {
            return nil
        }
        self.init(destination: destination, state: state)
        secretVersionBefore = json["SecretVersionBefore"]?.stringValue
        secretVersionWritten = json["SecretVersionWritten"]?.stringValue
        // A version that is not a whole number is kept as 0, which the journal's checks refuse.
        parameterVersionsBefore = json["ParameterVersionsBefore"]?.arrayValue?.map { RotationJournal.wholeNumber($0) ?? 0 }
    }

    /// A write may have landed.
    var mayHoldNewKey: Bool { state == .writing || state == .written }
}
