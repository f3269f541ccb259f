import AWSCore
import Foundation
import Testing
import TransportTesting
@testable import Workflows

/// Shell completion of parameter and secret names: what is read from the command line, what is
/// asked of the service and offered, the cache, and the deadline (on a scripted transport).
struct NameCompletionTests {
    // MARK: the command line

    @Test func theLineGivesProfileRegionEndpointAndRootBeforeOrAfterTheCommand() {
        let words = ["credctl", "--profile", "dev", "params", "get", "--region=eu-west-1", "--endpoint-url", "'http://127.0.0.1:9'",
                     "--prefix", "/APP", "--env=\"STAGING\"", "DB/"]
        #expect(CompletionLine(words: words, completing: 11)
                == CompletionLine(profile: "dev", region: "eu-west-1", endpointURL: "http://127.0.0.1:9", prefix: "/APP", env: "STAGING"))
    }

    @Test func theWordBeingCompletedAndWhatFollowsATerminatorAreNotRead() {
        // `--profile <Tab>`: the word after --profile is the one being completed, not its value.
        #expect(CompletionLine(words: ["credctl", "params", "get", "--profile", "x"], completing: 4).profile == nil)
        #expect(CompletionLine(words: ["credctl", "params", "get", "--profile"], completing: 3).profile == nil)
        let exec = CompletionLine(words: ["credctl", "params", "exec", "/a", "--", "env", "--profile", "p", ""], completing: 8)
        #expect(exec.profile == nil && exec.afterTerminator)
        #expect(!CompletionLine(words: ["credctl", "params", "exec", "/a", "--", "x"], completing: 3).afterTerminator)
        // A value that is another option is still the value, as the argument parser takes it.
        #expect(CompletionLine(words: ["credctl", "--region", "--profile", "p", "x"], completing: 4).region == "--profile")
    }

    // MARK: what is asked and offered

    static let names = ["/app/db/user", "/app/db/password", "/app/name", "/app/dbx", "/other", "/deep/a/b/c/leaf", "plain"]

    @Test(arguments: [
        ("/app/", "/app/", ["/app/db/", "/app/dbx", "/app/name"]),
        ("/app/d", "/app/", ["/app/db/", "/app/dbx"]),
        ("/app/db/", "/app/db/", ["/app/db/password", "/app/db/user"]),
        ("/app/db/p", "/app/db/", ["/app/db/password"]),
        ("/o", "/", ["/other"]),
        ("/", "/", ["/app/", "/deep/", "/other"]),
        ("", "", ["/app/", "/deep/", "/other", "plain"]),
        ("/de", "/", ["/deep/a/b/c/leaf"]),       // a lone folder is opened down to what is in it
        ("/nothing", "/", []),
    ])
    func parameterNamesAreOfferedOneLevelAtATime(_ typed: String, _ query: String, _ offered: [String]) {
        let offers = ParameterNameOffers(typed: typed, root: nil)
        #expect(offers.query == query)
        #expect(offers.narrowQuery == typed)
        #expect(offers.offers(CompletionCache.Entry(names: Self.names, complete: true)) == offered)
    }

    @Test func relativeNamesAreCompletedUnderTheRoot() {
        let names = ["/APP/STAGING/DB/USER", "/APP/STAGING/DB/PASSWORD", "/APP/STAGING/NAME", "/APP/PROD/NAME"]
        let entry = CompletionCache.Entry(names: names, complete: true)
        let bare = ParameterNameOffers(typed: "", root: "/APP/STAGING")
        #expect(bare.query == "/APP/STAGING/" && bare.offers(entry) == ["DB/", "NAME"])
        let db = ParameterNameOffers(typed: "DB/P", root: "/APP/STAGING")
        #expect(db.query == "/APP/STAGING/DB/" && db.narrowQuery == "/APP/STAGING/DB/P" && db.offers(entry) == ["DB/PASSWORD"])
        // A full name is taken as it is, root or not.
        let full = ParameterNameOffers(typed: "/APP/P", root: "/APP/STAGING")
        #expect(full.query == "/APP/" && full.offers(entry) == ["/APP/PROD/NAME"])
    }

    @Test func secretNamesOrARNsAreOffered() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
        let entry = CompletionCache.Entry(names: ["prod/db", "prod/api", "staging", arn + "prod/db-AbCdEf", arn + "prod/api-GhIjKl", arn + "staging-MnOpQr"],
                                          complete: true)
        #expect(SecretNameOffers(typed: "prod/").offers(entry) == ["prod/api", "prod/db"])
        #expect(SecretNameOffers(typed: "prod/d").query == "prod/")
        #expect(SecretNameOffers(typed: "").offers(entry) == ["prod/api", "prod/db", "staging"])
        #expect(SecretNameOffers(typed: "arn:").query == "" && SecretNameOffers(typed: "arn:").offers(entry).count == 3)
        let typedARN = SecretNameOffers(typed: arn + "prod/a")
        #expect(typedARN.query == "prod/" && typedARN.narrowQuery == "prod/a" && typedARN.offers(entry) == [arn + "prod/api-GhIjKl"])
    }

    /// bash's `compgen -W` expands every word it is given (`$(…)`, `$VAR`, `~`, backquotes): a
    /// name from the network is offered only when it is made of the service's own characters.
    @Test(arguments: ["$(touch /tmp/x)", "`id`", "~root", "/a/$HOME", "/a b", "/a\nb", "/a;b", "/a\u{1b}[31m", "/é", "/a'b", "/a\"b", "/a*"])
    func namesAShellWouldExpandAreNotOffered(_ hostile: String) {
        let parameterEntry = CompletionCache.Entry(names: [hostile, "/ok"], complete: true)
        #expect(ParameterNameOffers(typed: "", root: nil).offers(parameterEntry).allSatisfy { !$0.contains(hostile) })
        #expect(!CompletionNames.isParameterName(hostile) && !CompletionNames.isSecretName(hostile) && !CompletionNames.isSecretARN(hostile))
        #expect(!CompletionNames.isProfileName(hostile))
        let secretEntry = CompletionCache.Entry(names: [hostile, "ok"], complete: true)
        #expect(SecretNameOffers(typed: "").offers(secretEntry) == ["ok"])
    }

    @Test func theEnclosingFoldersOfAQuery() {
        #expect(CompletionNames.enclosingFolders(of: "/a/b/") == ["/a/", "/", ""])
        #expect(CompletionNames.enclosingFolders(of: "/a/b") == ["/a/", "/", ""])
        #expect(CompletionNames.enclosingFolders(of: "/") == [""])
        #expect(CompletionNames.enclosingFolders(of: "prod/db/") == ["prod/", ""])
        #expect(CompletionNames.enclosingFolders(of: "").isEmpty)
    }

    @Test func profileNamesAsSSOSyncWritesThemAreOffered() {
        for name in ["default", "dev-admin", "team.prod-eu@acct+1", "org/123456789012:Admin", "a%b", "x=y,z"] {
            #expect(CompletionNames.isProfileName(name), "\(name)")
        }
    }

    @Test func atMostTheLimitIsOffered() {
        let names = (0..<1000).map { "/many/p\($0)" }
        #expect(ParameterNameOffers(typed: "/many/", root: nil).offers(CompletionCache.Entry(names: names, complete: true)).count
                == CompletionNames.limit)
    }
}
