#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting other programs: `credential_process` (output captured) and `exec` (replaced by).
/// Every command credctl waits for runs within `Limits`: a time limit, after which it is ended,
/// and a bound on the output kept. No child's environment carries `ChildEnvironment.withheld`.
public enum Subprocess {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number when killed by a signal.
        public var status: Int32
        /// What was kept of its output (`Limits.outputBytes` at most, each).
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]
        /// It was ended because its time limit passed.
        public var timedOut = false
        /// It printed more than the limit on either stream (and the rest was dropped).
        public var outputExceeded = false

        public init(status: Int32, standardOutput: [UInt8], standardError: [UInt8], timedOut: Bool = false, outputExceeded: Bool = false) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
            self.timedOut = timedOut
            self.outputExceeded = outputExceeded
        }
    }

    /// How long a command may run and how much of its output is kept.
    public struct Limits: Sendable, Equatable {
        /// Seconds before it is ended (SIGTERM, then SIGKILL `grace` seconds later).
        public var timeout: Double
        /// Bytes kept of each output stream.
        public var outputBytes: Int
        /// Which bytes are kept when there are more.
        public var keep: OutputCapture.Keep
        /// The command runs in a process group of its own, which is ended as a whole at the time
        /// limit, and which gets the signals sent to credctl while it runs. Only for commands that
        /// do not talk to the terminal (a terminal's keys reach credctl's group only).
        public var ownProcessGroup: Bool
        public var grace: Double

        public init(timeout: Double = Limits.defaultTimeout, outputBytes: Int = 1 << 20, keep: OutputCapture.Keep = .first,
                    ownProcessGroup: Bool = false, grace: Double = 2) {
            self.timeout = timeout
            self.outputBytes = outputBytes
            self.keep = keep
            self.ownProcessGroup = ownProcessGroup
            self.grace = grace
        }

        /// Five minutes: long enough for a helper that asks for a login in a browser.
        public static let defaultTimeout: Double = 300
        /// For helpers whose answer credctl reads (`credential_process`, a passphrase command,
        /// `secret-tool`, `xdg-open`): five minutes, 1 MB.
        public static let standard = Limits()
    }

    public struct LaunchError: Error, Sendable, CustomStringConvertible {
        public var program: String
        public var reason: String
        public var description: String { "cannot run \(program): \(reason)" }
    }

    /// Runs `arguments` (looked up in `PATH`) with `environment` (less `ChildEnvironment.withheld`),
    /// its stdin closed, within `limits`, and returns what it wrote and how it ended.
    public static func run(_ arguments: [String], environment: [String: String], limits: Limits = .standard) throws(LaunchError) -> Result {
        try SubprocessRun(arguments: arguments, environment: environment, input: nil, limits: limits).run()
    }

    /// Like `run(_:environment:limits:)`, with `input` written to the program's standard input
    /// (then closed) instead of `/dev/null`: how secrets reach a helper such as `secret-tool`
    /// without ever appearing in its argument list.
    public static func run(_ arguments: [String], environment: [String: String], input: [UInt8], limits: Limits = .standard) throws(LaunchError) -> Result {
        try SubprocessRun(arguments: arguments, environment: environment, input: input, limits: limits).run()
    }

    /// Replaces this process with `arguments` (looked up in the new environment's `PATH`) and
    /// `environment`; returns only when that fails.
    public static func replaceProcess(_ arguments: [String], environment: [String: String]) -> LaunchError {
        guard let program = arguments.first else { return LaunchError(program: "", reason: "empty command") }
        guard let path = executablePath(program, searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            return LaunchError(program: program, reason: "command not found")
        }
        _ = withCStrings(arguments) { argv in
            withCStrings(ChildEnvironment.entries(environment)) { envp in
                execve(path, argv, envp)
            }
        }
        return LaunchError(program: program, reason: SecretFile.lastError())
    }

    /// `program` itself when it contains a slash, else the first executable file of that name
    /// in `searchPath`.
    public static func executablePath(_ program: String, searchPath: String) -> String? {
        if program.contains("/") { return program }
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + program
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func exitCode(fromWaitStatus s: Int32) -> Int32 {
        let signal = s & 0x7f
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal
    }

    /// A NULL-terminated C array of C strings, valid inside `body`.
    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return body(pointers + [nil])
    }
}
