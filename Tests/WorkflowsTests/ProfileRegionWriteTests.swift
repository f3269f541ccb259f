import AWSCore
import Foundation
import Testing
@testable import Workflows

/// `ProfileRegionWrite`: `region = R` in a profile's config section, every other byte kept.
struct ProfileRegionWriteTests {
    let dir: String = {
        let d = NSTemporaryDirectory() + "region-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()
    var config: String { dir + "/config" }
    var writer: ProfileRegionWrite { ProfileRegionWrite(configPath: config, stateDirectory: dir + "/state") }

    func write(_ text: String) { precondition(FileManager.default.createFile(atPath: config, contents: Data(text.utf8))) }
    func read() -> String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "<none>" }

    @Test func aNewFileGetsTheSectionWithMode0600() throws {
        #expect(try writer.write(profile: "svc", region: "eu-west-2") == .written(file: config))
        #expect(read() == "[profile svc]\nregion = eu-west-2\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
    }

    @Test func anExistingSectionGetsTheRegionAfterItsLastKeyInItsLineEnds() throws {
        write("# mine\r\n[profile svc]\r\noutput = json\r\n\r\n[profile other]\r\nregion = us-east-1\r\n")
        #expect(try writer.write(profile: "svc", region: "eu-west-2") == .written(file: config))
        #expect(read() == "# mine\r\n[profile svc]\r\noutput = json\r\nregion = eu-west-2\r\n\r\n[profile other]\r\nregion = us-east-1\r\n")
    }

    @Test func theDefaultProfileIsItsOwnSection() throws {
        write("[profile a]\nregion = us-east-1\n")
        _ = try writer.write(profile: "default", region: "eu-west-1")
        #expect(read() == "[profile a]\nregion = us-east-1\n\n[default]\nregion = eu-west-1\n")
    }

    @Test func aRegionTheProfileHasIsKept() throws {
        write("[profile svc]\nregion = ap-south-1\n")
        #expect(try writer.write(profile: "svc", region: "eu-west-2") == .kept(region: "ap-south-1"))
        #expect(read() == "[profile svc]\nregion = ap-south-1\n")
    }

    @Test func aValueThatWouldNotReadBackIsRefusedAndNothingWritten() {
        write("[profile svc]\n")
        #expect(throws: AWSError.self) { try writer.write(profile: "svc", region: "eu-west-2\n[profile x]") }
        #expect(throws: AWSError.self) { try writer.write(profile: "a]b", region: "eu-west-2") }
        #expect(read() == "[profile svc]\n")
    }
}
