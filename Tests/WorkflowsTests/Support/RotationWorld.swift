import AWSClients
import AWSConfig
import AWSCore
import Testing
import TransportTesting
@testable import Workflows

/// IAM user `alice` with one key, held by profile `[default]` of a credentials file that also
/// holds a comment and an unrelated profile, on a fake AWS; `rotate()` runs `credctl rotate`
/// as a new process would (a new session each time).
struct RotationWorld {
    let fake = FakeAWS()
    let home = FakeHome()
    let user = "alice"
    let oldKey: FakeIAM.Key
    let originalFile: String

    static let unrelated = "[unrelated]\naws_access_key_id=AKIAUNRELATED0000000\naws_secret_access_key = unrelated/Secret  \n"

    init() {
        fake.iam.addKey(user: "alice")
        oldKey = fake.iam.keys(of: "alice")[0]
        originalFile = "# my keys\n" + profile("default", oldKey) + "\n" + Self.unrelated
        home.writeCredentials(originalFile)
    }

    var state: RotationState { RotationState.standard(home.environment, now: { [fake] in fake.iam.now }) }
    var journalPath: String { state.journalPath(account: fake.iam.account, user: user) }
    var journal: RotationJournal? { try? state.load(account: fake.iam.account, user: user) }

    /// The file as a rotation to `key` leaves it: only the key's two values changed.
    func file(holding key: FakeIAM.Key) -> String {
        originalFile.replacing(oldKey.id, with: key.id).replacing(oldKey.secret, with: key.secret)
    }

    var keys: [FakeIAM.Key] { fake.iam.keys(of: user) }
    var keyIds: [String] { fake.iam.keyIds(of: user) }

    /// `credctl rotate --yes` with `options` (waits are on the home's manual clock: they take no time).
    func rotate(_ options: RotationOptions = RotationOptions(), lines: ReportLines = ReportLines()) -> Result<RotationOutcome, Error> {
        Result {
            let rotation = KeyRotation(session: try home.session(fake), options: options, report: lines.sink, wallClock: { [fake] in fake.iam.now })
            return try rotation.run(confirm: { _ in true })
        }
    }

    /// A journal as a run stopped at `step` would have left it.
    /// Begun when the account was made (the first minute of 2026), last written now by the account's clock.
    func saveJournal(_ step: RotationJournal.Step, newKeyId: String? = nil, keysBefore: [String]? = nil, keepOldInactive: Bool = false) throws {
        try state.prepare()
        try state.save(journal(step, newKeyId: newKeyId, keysBefore: keysBefore, keepOldInactive: keepOldInactive))
    }

    func journal(_ step: RotationJournal.Step, newKeyId: String? = nil, keysBefore: [String]? = nil, keepOldInactive: Bool = false) -> RotationJournal {
        let state: DestinationRecord.State = step >= .written ? .written : step >= .created ? .writing : .pending
        return RotationJournal(account: fake.iam.account, user: user, credentialsFile: home.credentialsPath,
                               destinations: [DestinationRecord(destination: "profile:default", state: state)],
                               oldKeyId: oldKey.id, keysBefore: keysBefore ?? [oldKey.id], newKeyId: newKeyId,
                               keepOldInactive: keepOldInactive, step: step, started: 1_767_225_600)
    }
}

/// The finished rotation, or an issue recorded.
func rotated(_ result: Result<RotationOutcome, Error>, sourceLocation: SourceLocation = #_sourceLocation) -> RotationResult? {
    switch result {
    case .success(.rotated(let r)): return r
    case .success(let other): Issue.record("expected a rotation, got \(other)", sourceLocation: sourceLocation)
    case .failure(let error): Issue.record("expected a rotation, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The rotation error, or an issue recorded; a stop or a rollback must say what is left.
func rotationError(_ result: Result<RotationOutcome, Error>, sourceLocation: SourceLocation = #_sourceLocation) -> RotationError? {
    guard case .failure(let error) = result, let rotationError = error as? RotationError else {
        Issue.record("expected a RotationError, got \(result)", sourceLocation: sourceLocation)
        return nil
    }
    switch rotationError {
    case .stopped, .rolledBack:
        #expect(rotationError.left?.isEmpty == false, "a stop says what is left", sourceLocation: sourceLocation)
    case .refused:
        break
    }
    return rotationError
}
