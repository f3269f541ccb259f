import AWSCore
import Foundation
import Synchronization
import Testing
import TransportTesting
@testable import Workflows

/// Shell completion's calls (on a scripted transport): names only, bounded, cached, within the
/// deadline, and nothing on a failure.
struct NameCompletionServiceTests {
    let home = FakeHome()

    var environment: Environment {
        Environment(["HOME": home.root, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI",
                     "AWS_REGION": "eu-west-1", "AWS_EC2_METADATA_DISABLED": "true", "CREDCTL_CACHE_DIR": home.root + "/cache"])
    }

    var cacheFolder: String { home.root + "/cache/completion" }

    func cacheFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? []).map { cacheFolder + "/" + $0 }
    }

    /// DescribeParameters answered from `names` (the `BeginsWith` filter applied), `pageSize` a page.
    static func parameterService(_ names: [String], pageSize: Int = 50) -> ScriptedTransport {
        ScriptedTransport { request in
            guard request.operation == "DescribeParameters", let json = request.json else {
                return .response(JSONAnswer.error("AccessDeniedException", "not this"))
            }
            let prefix = json["ParameterFilters"]?.arrayValue?.first?["Values"]?.arrayValue?.first?.stringValue ?? ""
            let start = Int(json["NextToken"]?.stringValue ?? "0") ?? 0
            let matching = names.filter { $0.hasPrefix(prefix) }
            let page = Array(matching.dropFirst(start).prefix(pageSize))
            var answer: [(String, JSONValue)] = [("Parameters", .array(page.map { .object([("Name", .string($0)), ("Type", .string("SecureString"))]) }))]
            if start + pageSize < matching.count { answer.append(("NextToken", .string(String(start + pageSize)))) }
            return .response(JSONAnswer.ok(.object(answer)))
        }
    }

    static func filterValue(_ request: RecordedRequest) -> String? {
        request.json?["ParameterFilters"]?.arrayValue?.first?["Values"]?.arrayValue?.first?.stringValue
    }

    func offers(_ typed: String, _ transport: ScriptedTransport, kind: ResourceCompletion.Kind = .parameters,
                line: CompletionLine = CompletionLine(), deadline: Double = 5) -> [String] {
        ResourceCompletion.offers(kind, line: line, typed: typed, environment: environment, deadline: deadline, transport: transport)
    }

    @Test func theFolderIsAskedOnceThenEveryTabWithinItIsFromTheCache() throws {
        let transport = Self.parameterService(["/app/db/user", "/app/db/password", "/app/name", "/other"])
        #expect(offers("/app/", transport) == ["/app/db/", "/app/name"])
        #expect(offers("/app/d", transport) == ["/app/db/password", "/app/db/user"])
        #expect(offers("/app/n", transport) == ["/app/name"])
        // Deeper folders are served by the enclosing folder's entry (it holds every level below).
        #expect(offers("/app/db/", transport) == ["/app/db/password", "/app/db/user"])
        #expect(offers("/app/db/u", transport) == ["/app/db/user"])
        #expect(transport.requests.map(\.operation) == ["DescribeParameters"])
        #expect(transport.requests.map(Self.filterValue) == ["/app/"])
        // Names only, in a 0600 file in a 0700 folder.
        let files = cacheFiles()
        #expect(files.count == 1)
        #expect(home.mode(cacheFolder) == 0o700 && files.allSatisfy { home.mode($0) == 0o600 })
        let text = try String(contentsOfFile: files[0], encoding: .utf8)
        #expect(text.contains("/app/db/password") && !text.contains("Value") && !text.contains("SecureString"))
        // Another region is another entry.
        #expect(offers("/app/", transport, line: CompletionLine(region: "us-west-2")) == ["/app/db/", "/app/name"])
        #expect(transport.requests.count == 2 && cacheFiles().count == 2)
    }

    @Test func theReadingStopsAtTheLimitThenTheTypedWordIsAskedForItself() {
        let names = (0..<2000).map { "/many/p\($0)" }
        let transport = Self.parameterService(names)
        let offered = offers("/many/p19", transport)
        #expect(offered.count == 111 && offered.allSatisfy { $0.hasPrefix("/many/p19") })
        let asked = transport.requests.map(Self.filterValue)
        let pages = CompletionNames.limit / 50
        #expect(asked == Array(repeating: "/many/", count: pages) + Array(repeating: "/many/p19", count: 3))
    }

    @Test func anIncompleteEnclosingEntryDoesNotServeADeeperFolder() {
        let names = (0..<400).map { "/big/a\($0)" } + ["/big/z/one", "/big/z/two"]
        let transport = Self.parameterService(names)
        #expect(offers("/big/", transport).count == CompletionNames.limit)
        let asked = transport.requests.count
        #expect(offers("/big/z/", transport) == ["/big/z/one", "/big/z/two"])
        #expect(transport.requests.count == asked + 1 && Self.filterValue(transport.requests.last!) == "/big/z/")
    }

    @Test func aFailureOffersNothingAndCachesNothing() {
        let denied = ScriptedTransport { _ in .response(JSONAnswer.error("AccessDeniedException", "no ssm:DescribeParameters")) }
        #expect(offers("/app/", denied).isEmpty)
        #expect(cacheFiles().isEmpty)
        let garbage = ScriptedTransport { _ in .status(200, "<html>captive portal</html>", headers: [("Content-Type", "text/html")]) }
        #expect(offers("/app/", garbage).isEmpty)
        #expect(cacheFiles().isEmpty)
    }

    @Test func aStalledServiceOffersNothingAtTheDeadline() {
        // The one real wait of these tests: the deadline is against a call that never returns.
        let stalled = ScriptedTransport { _ in
            usleep(1_000_000)
            return .response(JSONAnswer.ok(.object([("Parameters", .array([.object([("Name", .string("/late"))])]))])))
        }
        let started = Date()
        #expect(offers("/", stalled, deadline: 0.1).isEmpty)
        #expect(Date().timeIntervalSince(started) < 0.9)
    }

    @Test func secretsAreListedByNameNeverRead() {
        let transport = ScriptedTransport { request in
            guard request.operation == "ListSecrets" else { return .response(JSONAnswer.error("AccessDeniedException", "not this")) }
            let list: [JSONValue] = ["prod/db", "prod/api"].map { name in
                .object([("Name", .string(name)), ("ARN", .string("arn:aws:secretsmanager:eu-west-1:123456789012:secret:\(name)-AbCdEf"))])
            }
            return .response(JSONAnswer.ok(.object([("SecretList", .array(list))])))
        }
        #expect(offers("prod/", transport, kind: .secrets) == ["prod/api", "prod/db"])
        #expect(offers("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/d", transport, kind: .secrets)
                == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"])
        #expect(transport.requests.map(\.operation) == ["ListSecrets"])
        #expect(transport.requests.first?.json?["Filters"]?.arrayValue?.first?["Values"]?.arrayValue?.first?.stringValue == "prod/")
    }

    // MARK: the cache itself

    @Test func anEntryIsUsedOnlyWithinItsLifetime() {
        let now = Mutex(1_000_000)
        let cache = CompletionCache(directory: cacheFolder, now: { now.withLock { $0 } })
        let key = CompletionCache.key([("query", "/app/")])
        cache.store(CompletionCache.Entry(names: ["/app/x"], complete: true), key: key)
        #expect(cache.load(key) == CompletionCache.Entry(names: ["/app/x"], complete: true))
        now.withLock { $0 += CompletionCache.lifetime - 1 }
        #expect(cache.load(key) != nil)
        now.withLock { $0 += 1 }
        #expect(cache.load(key) == nil)
        now.withLock { $0 = 999_000 }   // written "in the future" (a clock set back): not trusted
        #expect(cache.load(key) == nil)
    }

    @Test func anEntryPastItsLifetimeIsRemovedByTheNextWrite() {
        let now = Mutex(1_000_000)
        let cache = CompletionCache(directory: cacheFolder, now: { now.withLock { $0 } })
        cache.store(CompletionCache.Entry(names: ["/old"], complete: true), key: CompletionCache.key([("query", "/old/")]))
        now.withLock { $0 += 30 }
        cache.store(CompletionCache.Entry(names: ["/recent"], complete: true), key: CompletionCache.key([("query", "/recent/")]))
        #expect(cacheFiles().count == 2)
        now.withLock { $0 += CompletionCache.lifetime - 10 }
        cache.store(CompletionCache.Entry(names: ["/new"], complete: true), key: CompletionCache.key([("query", "/new/")]))
        #expect(cacheFiles().map { ($0 as NSString).lastPathComponent }.sorted()
                == [CompletionCache.key([("query", "/new/")]) + ".json", CompletionCache.key([("query", "/recent/")]) + ".json"].sorted())
    }

    @Test func aDamagedOrLinkedEntryCountsAsNone() throws {
        let cache = CompletionCache(directory: cacheFolder)
        let key = CompletionCache.key([("query", "/")])
        cache.store(CompletionCache.Entry(names: ["/a"], complete: true), key: key)
        let path = cacheFolder + "/" + key + ".json"
        try "{\"Version\": 1, \"Names\": [".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cache.load(key) == nil)
        let elsewhere = home.root + "/planted.json"
        try "{\"Version\":1,\"Written\":\(Int(Date().timeIntervalSince1970)),\"Complete\":true,\"Names\":[\"/planted\"]}"
            .write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        #expect(cache.load(key) == nil)
    }
}
