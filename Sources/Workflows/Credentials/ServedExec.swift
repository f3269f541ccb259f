import AWSConfig
import AWSCore
import AWSCredentials
import CredentialServer
import Synchronization

/// `creds exec --server` and `assume … --server`: the credentials server on 127.0.0.1 and a
/// child that reaches it through `AWS_CONTAINER_CREDENTIALS_FULL_URI` and
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` only. credctl stays, refreshing the credentials through
/// `fetch` for as long as the child lives, passes on the signals sent to it, and stops the
/// server when the child ends.
public struct ServedExec: Sendable {
    public var command: [String]
    public var baseEnvironment: [String: String]
    public var region: String?
    /// The `CREDCTL_PROFILE` value: the profile, or the role ARN.
    public var marker: String
    /// Fresh credentials: called once before the child starts (its failure is credctl's), then
    /// on a refresh thread whenever a refresh is due (never on the serving path).
    public var fetch: @Sendable () throws(AWSError) -> Credentials
    public var options: CredentialServerOptions

    public init(command: [String], baseEnvironment: [String: String], region: String?, marker: String,
                options: CredentialServerOptions, fetch: @escaping @Sendable () throws(AWSError) -> Credentials) {
        self.command = command
        self.baseEnvironment = baseEnvironment
        self.region = region
        self.marker = marker
        self.options = options
        self.fetch = fetch
    }

    /// Runs the child to its end and returns how it ended; throws only before it starts (no
    /// credentials: their exit code; the server cannot listen: 2; the command cannot start: 127).
    public func run() throws -> (ending: ChildProcess.Ending, statistics: CredentialServer.Statistics) {
        // Fetched first, while Ctrl-C still interrupts an MFA or passphrase prompt.
        let first = try fetch()
        // Blocked before the server's thread starts, so that no thread takes them but the wait below.
        let signals = ChildProcess.SignalGuard.block()
        let handedOut = FirstCredentials(first)
        let fetch = self.fetch
        let server: CredentialServer
        do {
            server = try CredentialServer.start(options: options) {
                let credentials = try handedOut.take() ?? fetch()
                return ServedCredentials(credentials: credentials.signing, expiration: credentials.expiration)
            }
        } catch {
            signals.restore()
            throw error.awsError
        }
        let environment = ExecEnvironment.withServer(server.environment, over: baseEnvironment, marker: marker, region: region)
        let child: ChildProcess
        do { child = try ChildProcess.spawn(command, environment: environment) } catch {
            server.stop()
            signals.restore()
            throw ExecFailure(launch: error)
        }
        let ending = child.waitForwardingSignals(signals)
        server.stop()
        return (ending, server.statistics)
    }
}

/// The credentials fetched before the server started, handed to it once (its first fetch).
final class FirstCredentials: Sendable {
    private let held: Mutex<Credentials?>
    init(_ credentials: Credentials) { held = Mutex(credentials) }
    func take() -> Credentials? { held.withLock { c in defer { c = nil }; return c } }
}
