import AWSConfig
import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a console sign-in URL in the user's browser with `xdg-open`, without putting the URL
/// in any process's arguments (which every local user can read in `/proc`): the URL goes into
/// a small page (mode 0600, in a 0700 folder) that forwards the browser to it, `xdg-open` is
/// given the page's path, and the page is deleted a minute later by a detached `sh` (the
/// browser may take that long to start and read it).
public struct ConsoleOpener: Sendable {
    /// The environment the opener runs with (its own settings are read from `ConsoleSettings`).
    public let environment: Environment

    public init(environment: Environment) {
        self.environment = environment
    }

    public enum Outcome: Sendable, Equatable {
        /// Handed to the browser; the page (a path, no secret) is deleted after `seconds`.
        case opened(page: String, seconds: Int)
        /// No `xdg-open` on `PATH`, or it failed: the caller prints the URL.
        case notOpened(String)
    }

    /// The page's settings (how long it stays, where it is written, the opener's search path).
    public func settings() throws(AWSError) -> ConsoleSettings {
        do { return try ConsoleSettings.resolve(environment) } catch { throw error.awsError }
    }

    public func open(_ url: String) throws(AWSError) -> Outcome {
        let settings = try settings()
        let seconds = settings.pageSeconds
        let path = settings.browser.searchPath
        guard let opener = BrowserOpener.path(searchPath: path) else { return .notOpened("\(BrowserOpener.program) was not found on PATH") }
        let folder = settings.pageFolder
        let page = "\(folder)/credctl-sign-in-\(Self.randomName()).html"
        do {
            try SecretFile.makePrivateDirectory(folder)
            Self.removeExpiredPages(in: folder, now: WallClock.now())
            try SecretFile.write(Array(Self.page(forwardingTo: url).utf8), to: page)
        } catch {
            return .notOpened("cannot write the sign-in page: \(error.description)")
        }
        let ran: Subprocess.Result
        do { ran = try Subprocess.run([opener, page], environment: environment.variables) } catch {
            _ = unlinkPage(page)
            return .notOpened("\(error)")
        }
        guard ran.status == 0 else {
            _ = unlinkPage(page)
            return .notOpened("\(BrowserOpener.program) exited with status \(ran.status)")
        }
        do {
            try ChildProcess.spawnDetached(["/bin/sh", "-c", "sleep \"$0\"; rm -f -- \"$1\"", String(seconds), page],
                                           environment: ["PATH": path])
        } catch {
            // Nothing to delete it later: better the browser miss it than the page stay.
            return unlinkPage(page) ? .notOpened("cannot schedule the page's deletion: \(error)") : .notOpened("\(error)")
        }
        return .opened(page: page, seconds: seconds)
    }

    func unlinkPage(_ page: String) -> Bool { unlink(page) == 0 }

    /// Removes the pages an earlier run left because its deleting `sh` never ran to the end (a
    /// logout or reboot ended it): every page older than the longest a page may stay (3600 s).
    /// Only regular files of the user's named as credctl names its pages.
    static func removeExpiredPages(in folder: String, now: Int) {
        for name in LocalFile.entries(of: folder) where name.hasPrefix("credctl-sign-in-") && name.hasSuffix(".html") {
            let path = folder + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid(),
                  now - Int(st.st_mtim.tv_sec) > 3600 else { continue }
            unlink(path)
        }
    }

    static func randomName() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// A page that forwards at once, sends no referrer, and offers the link in case it does not.
    static func page(forwardingTo url: String) -> String {
        let escaped = escapedForHTML(url)
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
            <meta http-equiv="refresh" content="0;url=\(escaped)"><title>AWS console sign-in (credctl)</title></head>
            <body><p><a href="\(escaped)" rel="noreferrer">Sign in to the AWS console</a></p></body></html>

            """
    }

    static func escapedForHTML(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
