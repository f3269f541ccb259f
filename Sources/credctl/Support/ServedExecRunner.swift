import AWSCore
import CredentialServer
import Workflows

/// Runs `creds exec --server` and `assume … --server` to the child's end, and ends credctl as
/// the child ended (its exit code, or its signal).
enum ServedExecRunner {
    /// Refresh failures on stderr (unless `--quiet`); every refresh with `--debug`.
    static func options(_ global: GlobalOptions) -> CredentialServerOptions {
        let debug = global.debug
        let reporter = global.reporter
        return CredentialServerOptions(
            log: { line in if debug { StandardStream.error.write("debug: \(PrintableText.escaped(line))\n") } },
            warn: { line in reporter(line) })
    }

    static func run(_ exec: ServedExec, global: GlobalOptions, session: AWSSession) throws -> Never {
        let (ending, statistics) = try exec.run()
        session.log("credentials server: served \(statistics.served) times, refused \(statistics.refused), "
            + "refreshed \(statistics.refreshes) times (\(statistics.refreshFailures) failed); the command ended with status \(ending.status)")
        ending.exitLikeIt()
    }
}
