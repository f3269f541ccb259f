import AWSConfig
import AWSCore
import Foundation
import Synchronization
import TransportTesting
@testable import Workflows

/// A temporary home for one test: `~/.aws/credentials`, credctl's state folder and the
/// environment a credctl run would see, and sessions on a fake AWS with retries that never wait.
final class FakeHome: Sendable {
    let root: String
    /// The clock of every session made here: waits move its time, never the test's.
    let clock = ManualClock()

    init() {
        var template = Array((NSTemporaryDirectory() + "credctl-unit-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        root = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try! FileManager.default.createDirectory(atPath: root + "/.aws", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var credentialsPath: String { root + "/.aws/credentials" }
    var backupPath: String { credentialsPath + ".credctl-backup" }
    var stateDirectory: String { root + "/state" }

    var environment: Environment {
        Environment(["HOME": root, "AWS_SHARED_CREDENTIALS_FILE": credentialsPath, "AWS_CONFIG_FILE": root + "/.aws/config",
                     "CREDCTL_STATE_DIR": stateDirectory, "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"])
    }

    /// A session as `credctl [--profile P]` would make, on `fake`, whose waits are on `clock`.
    func session(_ fake: FakeAWS, profile: String? = nil) throws -> AWSSession {
        try AWSSession(settings: SessionSettings(profile: profile), environment: environment, transport: fake, time: clock)
    }

    /// Replaces the credentials file, as another program writing it would.
    func writeCredentials(_ text: String) {
        precondition(FileManager.default.createFile(atPath: credentialsPath, contents: Data(text.utf8)), "cannot write \(credentialsPath)")
    }

    /// The credentials file's text (nil when there is none).
    var credentials: String? { FileManager.default.contents(atPath: credentialsPath).map { String(decoding: $0, as: UTF8.self) } }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int }
}

/// Collects the progress lines a workflow reports.
final class ReportLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var sink: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// `[name]` with a key, as credctl writes profiles.
func profile(_ name: String, _ keys: FakeIAM.Key) -> String {
    "[\(name)]\naws_access_key_id = \(keys.id)\naws_secret_access_key = \(keys.secret)\n"
}
