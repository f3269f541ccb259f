import ArgumentParser
import AWSCore
import Workflows

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the resolved credentials belong to, and where they and the region came from.",
        discussion: HelpText.reflowed("""
            Calls STS GetCallerIdentity (which needs no permission) and reports the account, ARN and
            user id, the key type (AKIA long-term or ASIA temporary), which provider supplied the
            credentials and by which rule, and where the region came from. The secret key and
            session token are never printed; the key id is masked.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.session(global) { session in .report(CredentialsReport.whoami(try WhoAmI.run(session))) }
    }
}
