import ArgumentParser
import AWSCore
import Workflows

struct CachedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cached",
        abstract: "Run a credential_process command once and serve its result from the agent until it nears expiry.",
        discussion: HelpText.reflowed("""
            credential_process = credctl cached -- saml2aws print-credentials …
            With a running agent (credctl agent start), CMD runs once and its credentials are
            served until 15 minutes before their Expiration; a failing CMD is not kept. Without
            an agent CMD runs every time (nothing is cached on disk). The output is checked as
            every credential_process result is. See agent.md in share/doc/credctl.
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .postTerminator, help: "The credential_process command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the command after --: credctl cached -- CMD [ARGS…]") }
    }

    func run() throws {
        try Run.refuse(global, unless: [.json], "the credential_process JSON is the only form cached prints")
        try Run.ownBytes(global, try CachedProcess.run(command, environment: Environment.current()))
    }
}
