import ArgumentParser
import AWSCore
import Workflows

struct CachedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cached",
        abstract: "Run a credential_process command once and serve its result until it nears expiry.",
        discussion: HelpText.reflowed("""
              credential_process = credctl cached -- saml2aws print-credentials …

            CMD runs once and its credentials are served until 15 minutes before their
            Expiration: held by the agent when one runs (credctl agent start), else sealed
            under the vault key in the vault file, when a vault exists and opens without a
            prompt (CREDCTL_VAULT_PASSPHRASE or CREDCTL_VAULT_PASSPHRASE_COMMAND). Otherwise
            CMD runs every time (--debug says why; --no-cache asks for that); no clear copy is
            ever written. A failing CMD, a result without an Expiration or one within 15
            minutes of it is not kept; the output is checked as every credential_process
            result is. See agent.md in share/doc/credctl.
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .postTerminator, help: "The credential_process command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the command after --: credctl cached -- CMD [ARGS…]") }
    }

    func run() throws {
        try Run.refuse(global, unless: [.json], "the credential_process JSON is the only form cached prints")
        try Run.ownBytes(global, try CachedProcess.run(command, environment: Environment.current(), fresh: global.noCache, log: DebugLog(enabled: global.debug)))
    }
}
