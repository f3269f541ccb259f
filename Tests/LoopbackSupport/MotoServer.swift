import AWSCore
#if canImport(Glibc)
import Glibc
#endif

/// Test support: real servers on loopback for Swift tests that need AWS or an SDK.
/// Children are started through credctl's own `Subprocess` (Foundation's `Process` was seen to
/// hang in `waitUntilExit` under swift-testing) and stopped with SIGKILL by process id (a child
/// of a dispatch worker thread inherits a mask that blocks SIGTERM).
public enum Loopback {
    /// The package's root folder.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    public static var path: String { Environment.current()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin" }

    /// A port nothing listens on right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts connections on `port`.
    public static func waitForPort(_ port: Int, seconds: Double = 30) -> Bool {
        let deadline = MonotonicClock.now() + seconds
        while MonotonicClock.now() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let ok = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
            close(fd)
            if ok { return true }
            usleep(100_000)
        }
        return false
    }

    /// Starts `command` in the background (its output to `log`) and returns its process id.
    /// Started through Python's `Popen(close_fds=True)`: a plain `sh -c '… &'` would hand the
    /// test runner's own pipes (swift-testing's event stream) to the server, and `swift test`
    /// would then wait for it forever.
    public static func startInBackground(_ command: [String], environment: [String: String], log: String) throws -> Int32 {
        let launcher = """
            import subprocess, sys
            p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT,
                                 close_fds=True, start_new_session=True)
            print(p.pid)
            """
        let result = try Subprocess.run(["python3", "-c", launcher, log] + command, environment: environment)
        let text = String(decoding: result.standardOutput, as: UTF8.self).filter { !$0.isWhitespace }
        guard result.status == 0, let pid = Int32(text) else {
            throw Failure(message: "cannot start \(command.first ?? ""): \(String(decoding: result.standardError, as: UTF8.self))")
        }
        return pid
    }

    /// Runs a Python snippet and returns what it printed and how it ended.
    public static func python(_ script: String, environment: [String: String] = [:]) throws -> Subprocess.Result {
        var env = ["PATH": path, "PYTHONDONTWRITEBYTECODE": "1"]
        for (k, v) in environment { env[k] = v }
        return try Subprocess.run(["python3", "-c", script], environment: env)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

/// `tests/integration/moto_sessions.py` (moto with working GetSessionToken credentials) on a
/// free port, signature checking and IAM policies on, with an `admin` user allowed everything.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    public let url: String
    public let adminKeyId: String
    public let adminSecret: String
    /// One JSON line per GetSessionToken call.
    public let sessionsLog: String
    let pid: Int32

    public init(folder: String) throws {
        port = Loopback.freePort()
        url = "http://127.0.0.1:\(port)"
        sessionsLog = folder + "/get-session-token.jsonl"
        pid = try Loopback.startInBackground(
            ["python3", Loopback.packageRoot + "/tests/integration/moto_sessions.py", "-H", "127.0.0.1", "-p", String(port)],
            environment: ["PATH": Loopback.path, "INITIAL_NO_AUTH_ACTION_COUNT": "3", "MOTO_SESSIONS_LOG": sessionsLog,
                          "PYTHONDONTWRITEBYTECODE": "1"],
            log: folder + "/moto.log")
        guard Loopback.waitForPort(port) else { kill(pid, SIGKILL); throw Loopback.Failure(message: "moto did not start; see \(folder)/moto.log") }
        let bootstrap = try Loopback.python("""
            import boto3, json
            iam = boto3.client("iam", endpoint_url="\(url)", region_name="us-east-1", aws_access_key_id="AKIABOOTSTRAP0000000", aws_secret_access_key="bootstrap")
            iam.create_user(UserName="admin")
            iam.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="admin")["AccessKey"]
            print(key["AccessKeyId"], key["SecretAccessKey"])
            """)
        let words = String(decoding: bootstrap.standardOutput, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard bootstrap.status == 0, words.count == 2 else {
            kill(pid, SIGKILL)
            throw Loopback.Failure(message: "moto bootstrap failed: \(String(decoding: bootstrap.standardError, as: UTF8.self))")
        }
        adminKeyId = words[0]
        adminSecret = words[1]
    }

    /// The GetSessionToken calls moto has answered, one JSON text each.
    public var sessionCalls: [String] {
        ((try? LocalFile.read(sessionsLog)) ?? nil).map { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) } ?? []
    }

    deinit { kill(pid, SIGKILL) }
}
