import Foundation
import Testing
@testable import AWSConfig
import AWSCore

/// One case of the cross-SDK profile-file suite (`Tests/Fixtures/profile-files`).
struct SuiteCase: CustomTestStringConvertible, Sendable {
    let index: Int
    let name: String
    let config: String?
    let credentials: String?
    var testDescription: String { "\(index): \(name)" }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/profile-files")

    static let all: [SuiteCase] = {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("profile-parser-tests.json")),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let tests = doc["tests"] as? [[String: Any]] else { return [] }
        return tests.enumerated().map { i, t in
            let input = t["input"] as? [String: String] ?? [:]
            return SuiteCase(index: i, name: t["name"] as? String ?? "", config: input["configFile"], credentials: input["credentialsFile"])
        }
    }()

    /// The cases where botocore (the AWS CLI) reads the input differently from the suite, as
    /// tests/integration/test_profile_suite.py finds by running botocore (it checks this list).
    static let botocoreDiffers: Set<Int> = [2, 16, 20, 21, 22, 23, 34, 35, 36, 37, 38, 40, 41, 47, 51, 52, 55, 59, 60]
    /// Cases whose file every SDK refuses, the AWS CLI included.
    static let bothRefuse: Set<Int> = [3, 6, 15, 31, 32, 33, 45, 57]

    var notes: [ProfileFileNote] {
        ProfileFileNotes.notes(config: config.map { .init(path: "/c", text: $0) },
                               credentials: credentials.map { .init(path: "/k", text: $0) })
    }
}

struct ProfileFileNotesTests {
    @Test func theSuiteIsThere() {
        #expect(SuiteCase.all.count == 65, "found \(SuiteCase.all.count) cases under \(SuiteCase.root.path)")
    }

    /// Every case where botocore differs from the other SDKs gets a note saying so; no case
    /// where they agree gets one (unless both refuse the file, when a line may still differ).
    @Test(arguments: SuiteCase.all)
    func notesWhereOtherSDKsDiffer(_ c: SuiteCase) {
        let differing = c.notes.filter { $0.kind == .otherSDKsDiffer }
        if SuiteCase.botocoreDiffers.contains(c.index) {
            #expect(!differing.isEmpty, "no note for \(c.name)")
        } else if !SuiteCase.bothRefuse.contains(c.index) {
            #expect(differing.isEmpty, "\(differing.map(\.message))")
        }
        for note in c.notes {
            let text = note.file == "/c" ? c.config : c.credentials
            let lines = text.map { PythonText.universalLines($0).count } ?? 0
            #expect(note.line >= 1 && note.line <= lines, "\(note.message)")
            #expect(note.message.hasPrefix(note.kind == .otherSDKsDiffer ? "other AWS SDKs read \(note.location) differently: " : "the AWS CLI ignores \(note.location): "))
        }
    }

    func notes(config: String? = nil, credentials: String? = nil) -> [String] {
        ProfileFileNotes.notes(config: config.map { .init(path: "/c", text: $0) }, credentials: credentials.map { .init(path: "/k", text: $0) })
            .map(\.message)
    }

    @Test func linesTheAWSCLIIgnores() {
        #expect(notes(config: "[preview]\ncloudfront = true\n[foo]\nregion = x\n[profile a b]\n") == [
            "the AWS CLI ignores /c:3: [foo] is not a profile: in the config file the AWS CLI reads [default], [profile NAME], [sso-session NAME] and [services NAME] (NAME one word, or quoted)",
            "the AWS CLI ignores /c:5: [profile a b] is not a profile: in the config file the AWS CLI reads [default], [profile NAME], [sso-session NAME] and [services NAME] (NAME one word, or quoted)",
        ])
        #expect(notes(config: "[default]\nx = 1\n  [profile dev]\n") == [
            "the AWS CLI ignores /c:3: [profile dev] looks like a section header, but being indented deeper than 'x' (line 2) it is read as part of that value",
        ])
        #expect(notes(credentials: "[a]\naws_secret_access_key = s\n") == [
            "the AWS CLI ignores /k:2: profile 'a' has aws_secret_access_key but no aws_access_key_id in this file, so the AWS CLI passes over its keys here",
        ])
        #expect(notes(config: "[default]\nregion = a\n[profile default]\nregion = b\n") == [
            "the AWS CLI ignores /c:1: [default] is not used: [profile default] (line 3) defines the default profile too, comes later and wins (other AWS SDKs also prefer it)",
        ])
    }

    @Test func linesOtherSDKsReadDifferently() {
        #expect(notes(credentials: "[a]\naws_security_token =\naws_session_token = T\n") == [
            "other AWS SDKs read /k:3 differently: the AWS CLI reads aws_security_token (line 2) first and ignores this aws_session_token (and, that one being empty, sends no token at all); other AWS SDKs read only aws_session_token",
        ])
        #expect(notes(config: "[profile x]\nregion = a\n[profile  x]\nregion = b\n") == [
            "other AWS SDKs read /c:1 differently: [profile x] and [profile  x] (line 3) define the same profile: the AWS CLI uses only the last, whole, and ignores this one; other AWS SDKs merge them",
        ])
        #expect(notes(config: "[default]\n  region = a\n  output = json\n") == [
            "other AWS SDKs read /c:2 differently: they refuse the file at this indented line (a key must start the line); the AWS CLI reads it as the key 'region'",
            "other AWS SDKs read /c:3 differently: they read this indented line as more of the value of 'region' (line 2); the AWS CLI reads it as the key 'output', as it is not indented deeper than that key",
        ])
        #expect(notes(config: "[DEFAULT]\nregion = x\n").count == 1)
        #expect(notes(credentials: "[DEFAULT]\nregion = x\n") == [
            "other AWS SDKs read /k:1 differently: the AWS CLI copies every key under [DEFAULT] into every profile of this file; other AWS SDKs read it as a profile named DEFAULT",
        ])
    }

    @Test func notesQuoteAtMostTwelveCharactersOfTheFile() {
        let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
        let all = notes(config: "[profile \(secret)!]\n\(secret) x = 1\n[\(secret)]\n", credentials: "[ \(secret) ]\n\(secret)== = x # y\n")
        #expect(all.count >= 4)
        for note in all { #expect(!note.contains("wJalrXUtnFEMI"), "\(note)") }
    }

    @Test func filesAreReadAgainFromTheirPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("credctl-notes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config")
        // A repeated section: the AWS CLI refuses the file, so it cannot be loaded, but the notes still come.
        try "[default]\nregion = a\n[default]\n".write(to: config, atomically: true, encoding: .utf8)
        let env = Environment(["AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("none").path])
        #expect(throws: ConfigFileError.self) { try SharedConfigFiles.load(env) }
        #expect(ProfileFileNotes.notes(environment: env).map(\.line) == [3])
    }
}

