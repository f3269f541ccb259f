import AWSClients
import AWSConfig
import AWSCore
import Foundation
import Testing
import TransportTesting
@testable import Workflows

/// Journal fuzz: journals mutated field by field, and hand-written inconsistent ones, under
/// three states of IAM and the file. Whatever the journal says, `rotate` never deletes a key it
/// cannot prove it made (the CI key; the old key unless the rotation finished with a working
/// new key in the file), and never ends with the file holding a key IAM does not accept.
struct RotationJournalFuzzTests {
    enum Scenario: String, CaseIterable, Sendable {
        /// Killed in CreateAccessKey; later an administrator made a key for CI, which CI uses.
        case creatingThenACIKey
        /// The new key M exists; no destination holds it yet.
        case createdNotDelivered
        /// M is in the file; not yet proven.
        case writtenToTheFile
    }

    struct World {
        let w = RotationWorld()
        var made: FakeIAM.Key?
        var ci: FakeIAM.Key?
        var journal: RotationJournal

        init(_ scenario: Scenario) throws {
            switch scenario {
            case .creatingThenACIKey:
                journal = w.journal(.creating)
                w.fake.iam.advanceClock(7200)
                let key = try #require(w.fake.iam.key(w.fake.iam.addKey(user: w.user).accessKeyId))
                try RotationAuthorshipTests().use(key, w.fake)
                ci = key
            case .createdNotDelivered, .writtenToTheFile:
                w.fake.iam.advanceClock(60)
                let key = try #require(w.fake.iam.key(w.fake.iam.addKey(user: w.user).accessKeyId))
                made = key
                journal = w.journal(scenario == .writtenToTheFile ? .written : .created, newKeyId: key.id)
                if scenario == .writtenToTheFile { w.home.writeCredentials(w.file(holding: key)) }
            }
        }

        /// The journal as JSON text, for mutating.
        var document: [String: Any] {
            try! JSONSerialization.jsonObject(with: Data(journal.json.serialized(pretty: true).utf8)) as! [String: Any]
        }
    }

    /// Every mutation of one field: removed, of the wrong type, empty, and values that name the
    /// wrong keys, steps, times, users and destinations.
    static func mutations(_ world: World) -> [(String, (inout [String: Any]) -> Void)] {
        let old = world.w.oldKey.id
        let others = [world.made?.id, world.ci?.id, "AKIANOSUCHKEY0000000", "AKIAOTHERUSERKEY0000"].compactMap { $0 }
        var list: [(String, (inout [String: Any]) -> Void)] = []
        for field in world.document.keys.sorted() {
            list.append(("\(field) removed", { $0[field] = nil }))
            for (name, value) in [("null", NSNull()), ("a number", 1e30), ("text", "garbage"), ("empty", ""), ("a list", [] as [Any]),
                                  ("an object", [:] as [String: Any])] as [(String, Any)] {
                list.append(("\(field) \(name)", { $0[field] = value }))
            }
        }
        let ids = [old] + others
        for id in ids {
            list.append(("OldKeyId \(id)", { $0["OldKeyId"] = id }))
            list.append(("NewKeyId \(id)", { $0["NewKeyId"] = id }))
            list.append(("KeysBefore [\(id)]", { $0["KeysBefore"] = [id] }))
            list.append(("KeysBefore [old, \(id)]", { $0["KeysBefore"] = [old, id] }))
        }
        list.append(("KeysBefore []", { $0["KeysBefore"] = [] as [String] }))
        list.append(("KeysBefore [old, old]", { $0["KeysBefore"] = [old, old] }))
        for step in ["creating", "created", "written", "verified", "deactivated", "done"] {
            list.append(("Step \(step)", { $0["Step"] = step }))
        }
        for time in ["2000-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "2026-01-01T00:00:00Z"] {
            list.append(("Started \(time)", { $0["Started"] = time }))
        }
        list.append(("Account other", { $0["Account"] = "999999999999" }))
        list.append(("User other", { $0["User"] = "bob" }))
        list.append(("Version 1", { $0["Version"] = 1 }))
        list.append(("Version 3", { $0["Version"] = 3 }))
        list.append(("Requested other", { $0["Requested"] = ["exec:true"] }))
        list.append(("Requested the same", { $0["Requested"] = ["profile:default"] }))
        let record = (world.document["Destinations"] as! [[String: Any]])[0]
        for state in ["pending", "writing", "written", "restored", "lost"] {
            list.append(("Destination state \(state)", { var r = record; r["State"] = state; $0["Destinations"] = [r] }))
        }
        for destination in ["profile:other", "exec:true", "secretsmanager:s", "ssm:/p", "vault:default", "nowhere"] {
            list.append(("Destination \(destination)", { var r = record; r["Destination"] = destination; $0["Destinations"] = [r] }))
        }
        list.append(("Destinations twice", { $0["Destinations"] = [record, record] }))
        list.append(("Destinations none", { $0["Destinations"] = [] as [Any] }))
        list.append(("secret versions on a profile", { var r = record; r["SecretVersionWritten"] = "x"; $0["Destinations"] = [r] }))
        list.append(("parameter versions on a profile", { var r = record; r["ParameterVersionsBefore"] = [1, 2]; $0["Destinations"] = [r] }))
        return list
    }

    /// Hand-written journals that contradict themselves.
    static func handWritten(_ world: World) -> [(String, RotationJournal)] {
        let old = world.w.oldKey.id
        let base = world.journal
        var list: [(String, RotationJournal)] = []
        var j = base; j.keysBefore = []; j.step = .created; j.newKeyId = old
        list.append(("the issue's: no keys before, the old key as the new", j))
        j = base; j.step = .deactivated; j.newKeyId = old
        list.append(("deactivated with the old key as the new", j))
        j = base; j.step = .creating; j.newKeyId = world.made?.id ?? world.ci?.id
        list.append(("creating with a new key", j))
        j = base; j.step = .verified; j.newKeyId = world.ci?.id ?? world.made?.id
        j.destinations = j.destinations.map { var r = $0; r.state = .written; return r }
        list.append(("verified, naming the other key", j))
        j = base; j.started = base.started + 100_000
        list.append(("begun after everything happened", j))
        return list
    }

    @Test(arguments: Scenario.allCases)
    func noMutatedJournalDeletesAKeyItCannotProveOrLeavesNoWorkingKey(_ scenario: Scenario) throws {
        let template = try World(scenario)
        var cases = 0
        for (name, mutate) in Self.mutations(template) {
            let world = try World(scenario)
            var document = world.document
            mutate(&document)
            try world.w.state.prepare()
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: world.w.journalPath))
            try check(world, name)
            cases += 1
        }
        for (name, journal) in Self.handWritten(template) {
            let world = try World(scenario)
            try world.w.state.prepare()
            try SecretFile.write(Array(journal.json.serialized().utf8), to: world.w.journalPath)
            try check(world, name)
            cases += 1
        }
        #expect(cases > 100)
    }

    /// After one run on a journal: the CI key is there; the old key is gone only after a finished
    /// rotation; the file's key is active in IAM with its secret.
    func check(_ world: World, _ name: String) throws {
        let w = world.w
        let before = Set(w.keyIds)
        let outcome = w.rotate()
        let after = Set(w.keyIds)
        let deleted = before.subtracting(after)
        if let ci = world.ci { #expect(after.contains(ci.id), "\(name): the CI key was deleted (\(outcome))") }
        if deleted.contains(w.oldKey.id) {
            guard case .success(.rotated) = outcome else { Issue.record("\(name): the old key was deleted by a run that did not finish (\(outcome))"); return }
        }
        let file = try #require(w.home.credentials)
        let id = try #require(Self.value("aws_access_key_id", in: file))
        let secret = try #require(Self.value("aws_secret_access_key", in: file))
        let key = w.keys.first { $0.id == id }
        #expect(key?.status == "Active" && key?.secret == secret, "\(name): the file holds \(id), which does not work (\(outcome))")
    }

    /// The value of `name` in the file's `[default]` profile.
    static func value(_ name: String, in file: String) -> String? {
        var inDefault = false
        for line in file.split(separator: "\n") {
            if line.hasPrefix("[") { inDefault = line == "[default]"; continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if inDefault, parts.count == 2, parts[0] == name { return parts[1] }
        }
        return nil
    }
}
