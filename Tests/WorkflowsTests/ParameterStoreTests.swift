import AWSClients
import AWSCore
import Testing
import TransportTesting
@testable import Workflows

/// `ParameterStore` on a fake Parameter Store: writes at most once however their answers are
/// lost, deletes reported truthfully, paths read concurrently through short and empty pages.
struct ParameterStoreTests {
    let fake = FakeAWS(region: "eu-west-1")
    let store: ParameterStore

    /// A store signing as IAM user `ci`, whose retries never wait.
    init() {
        let keys = fake.iam.addKey(user: "ci")
        let core = ClientCore(transport: fake, retryPolicy: RetryPolicy(maxAttempts: 3, backoffScale: 0))
        let endpoint = ResolvedEndpoint(url: RequestURL(scheme: "https", host: "ssm.eu-west-1.amazonaws.com"), signingRegion: "eu-west-1", source: "test")
        store = ParameterStore(ssm: SSMClient(client: AWSClient(core: core, keys: FixedSigningKeys(keys)), endpoint: endpoint))
    }

    static let request = PutParameterRequest(name: "/app/db/password", value: "s3cr3t", type: .secureString)

    @Test func aPutIsWrittenOnce() throws {
        #expect(try store.put(Self.request) == 1)
        #expect(fake.ssm.parameter("/app/db/password")?.versions.map(\.value) == ["s3cr3t"])
        #expect(fake.requests("PutParameter").map(\.safety) == [.notIdempotent])
    }

    @Test(arguments: [[Fault.loseAnswer(.http500)], [.loseAnswer(.reset)], [.before(.timeout), .loseAnswer(.reset)], [.garbage]])
    func aLostPutAnswerIsReadBackNotWrittenAgain(_ faults: [Fault]) throws {
        for fault in faults { fake.inject(fault, into: "PutParameter") }
        #expect(try store.put(Self.request) == 1)
        let versions = try #require(fake.ssm.parameter("/app/db/password")?.versions)
        #expect(versions.count == 1 && versions[0].value == "s3cr3t" && versions[0].type == "SecureString")
        #expect(fake.requests("PutParameter").count == faults.count, "written again only after a check found nothing")
        #expect(fake.requests("GetParameter").count == faults.count)
        #expect(fake.requests("GetParameter").allSatisfy { $0.json?["WithDecryption"]?.boolValue == true })
    }

    @Test func aPutThatWroteNothingIsWrittenAgain() throws {
        fake.inject(.before(.http500), into: "PutParameter")
        #expect(try store.put(Self.request) == 1)
        #expect(fake.ssm.parameter("/app/db/password")?.versions.count == 1)
        #expect(fake.requests("PutParameter").count == 2 && fake.requests("GetParameter").count == 1)
    }

    @Test func anOverwriteLostIsFoundByItsValueNotByTheOldOne() throws {
        fake.ssm.put("/app/db/password", "old", type: "SecureString")
        var overwrite = Self.request
        overwrite.overwrite = true
        fake.inject(.before(.reset), into: "PutParameter")   // nothing written: the value read back is still "old"
        fake.inject(.loseAnswer(.http500), into: "PutParameter")
        #expect(try store.put(overwrite) == 2)
        #expect(fake.ssm.parameter("/app/db/password")?.versions.map(\.value) == ["old", "s3cr3t"])
        #expect(fake.requests("PutParameter").count == 2)
    }

    @Test func aPutLostEveryTimeStopsAfterMaxAttempts() throws {
        fake.inject(.before(.http500), into: "PutParameter", times: 5)
        #expect(throws: AWSError.self) { try store.put(Self.request) }
        #expect(fake.requests("PutParameter").count == 3 && fake.ssm.parameter("/app/db/password") == nil)
    }

    @Test func anOverwriteWithTagsIsAPutThenTags() throws {
        fake.ssm.put("/app/x", "1", type: "String")
        let version = try store.put(PutParameterRequest(name: "/app/x", value: "2", type: .string, overwrite: true, tags: [Tag(key: "team", value: "data")]))
        #expect(version == 2 && fake.ssm.parameter("/app/x")?.tags == ["team": "data"])
        #expect(fake.requests.compactMap(\.operation) == ["PutParameter", "AddTagsToResource"])
        #expect(fake.requests("PutParameter").first?.json?["Tags"] == nil)
    }

    @Test func invalidNamesAreRefusedBeforeAnyCall() {
        #expect(throws: AWSError.self) { try store.put(PutParameterRequest(name: "/aws/reserved", value: "v")) }
        #expect(throws: AWSError.self) { try store.delete(["ok", "bad//name"]) }
        #expect(fake.requests.isEmpty)
    }

    // MARK: Deletes

    @Test func aLostDeleteReportsTheNamesAsDeletedNotMissing() throws {
        fake.ssm.put("/app/a", "1")
        fake.ssm.put("/app/b", "2")
        fake.inject(.loseAnswer(.reset), into: "DeleteParameters")
        let result = try store.delete(["/app/a", "/app/b"])
        #expect(result.deleted == ["/app/a", "/app/b"] && result.missing.isEmpty)
        #expect(fake.ssm.names.isEmpty && fake.requests("DeleteParameters").count == 1)
        #expect(fake.requests("GetParameters").count == 1)
    }

    @Test func aDeleteThatDidNothingIsSentAgain() throws {
        fake.ssm.put("/app/a", "1")
        fake.inject(.before(.http500), into: "DeleteParameters")
        let result = try store.delete(["/app/a", "/app/never"])
        #expect(result.deleted == ["/app/a"] && result.missing == ["/app/never"])
        #expect(fake.requests("DeleteParameters").count == 2)
    }

    @Test func deletesGoInBatchesOfTen() throws {
        let names = (1...23).map { "/bulk/p\($0)" }
        for name in names.prefix(20) { fake.ssm.put(name, "v") }
        let result = try store.delete(names)
        #expect(Set(result.deleted) == Set(names.prefix(20)) && Set(result.missing) == Set(names.suffix(3)))
        #expect(fake.requests("DeleteParameters").map { $0.json?["Names"]?.arrayValue?.count ?? 0 }.sorted() == [3, 10, 10])
        #expect(fake.ssm.names.isEmpty)
    }

    // MARK: Reads

    @Test func pathsAreReadConcurrentlyThroughShortAndEmptyPages() throws {
        for path in ["/one", "/two", "/three"] {
            for i in 1...5 { fake.ssm.put("\(path)/k\(i)", "\(path)-\(i)", type: "String") }
            fake.ssm.put("\(path)/deeper/k", "deep", type: "String")
        }
        fake.ssm.setByPathPages(size: 2, emptyPages: [1])
        fake.gather("GetParametersByPath", count: 2, within: 5)
        let lines = ReportLines()
        let store = ParameterStore(ssm: self.store.ssm, progress: lines.sink)
        let results = try store.read(paths: ["/one", "/two", "/three"], recursive: false)
        #expect(results.map { $0.map(\.name) } == ["/one", "/two", "/three"].map { p in (1...5).map { "\(p)/k\($0)" } })
        #expect(results[1].map(\.value) == (1...5).map { "/two-\($0)" })
        #expect(fake.maxConcurrent("GetParametersByPath") >= 2, "paths overlap")
        #expect(fake.requests("GetParametersByPath").count == 3 * 4, "pages of 2, 0, 2 and 1 per path")
        #expect(lines.contains("read 15 parameters"))

        let recursive = try store.read(paths: ["/one"], recursive: true)
        #expect(recursive[0].map(\.name).last == "/one/k5" && recursive[0].count == 6)
    }

    @Test func aPathThatFailsFailsTheRead() throws {
        fake.ssm.put("/one/a", "1")
        fake.inject(.before(.serviceError(code: "AccessDeniedException", status: 400)), into: "GetParametersByPath")
        #expect(throws: AWSError.self) { try store.read(paths: ["/one"], recursive: true) }
    }

    @Test func getReadsAVersionOrALabel() throws {
        fake.ssm.put("/app/x", "first", type: "String")
        fake.ssm.put("/app/x", "second", type: "String")
        #expect(try store.get("/app/x").value == "second")
        #expect(try store.get("/app/x", version: 1).value == "first")
        #expect(fake.requests("GetParameter").last?.json?["Name"]?.stringValue == "/app/x:1")
        #expect(throws: AWSError.self) { try store.get("/app/x", version: 0) }
    }
}
