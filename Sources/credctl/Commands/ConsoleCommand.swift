import ArgumentParser
import AWSCore
import Workflows

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the AWS console signed in with the resolved credentials, or print the sign-in URL.",
        discussion: HelpText.reflowed("""
            credctl console --profile prod            # opens it in your browser (xdg-open)
            credctl console --profile prod --print    # prints the sign-in URL instead

            Role credentials (an assumed role, SSO, web identity, a container or instance role) sign in
            as they are; a long-term key, or a vault profile's key, first gets STS GetFederationToken
            credentials (a federated user named after the IAM user, with a policy allowing everything,
            so the session has exactly what the user's own policies allow). The federation endpoint is
            signin.aws.amazon.com (amazonaws.cn and amazonaws-us-gov.com by region;
            CREDCTL_FEDERATION_ENDPOINT overrides it: https, or http to loopback only).

            The URL signs in whoever holds it, for 15 minutes: it is never logged (not with --debug
            either) and never put in a process's arguments. Without --print it goes into a page (mode
            0600) that xdg-open hands to your browser, deleted after CREDCTL_CONSOLE_PAGE_SECONDS (60);
            without xdg-open it is printed, with a note.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the sign-in URL instead of opening it.")
    var print = false

    @Option(help: "The console session: 900 s to 12 h for role credentials, to 36 h for a federated user (default 1 h); 3600, 15m, 1h, 12h.")
    var duration: String?

    func run() throws {
        try Run.refuse(global, unless: [], "console prints only the sign-in URL")
        let seconds = try duration.map { (d) throws(AWSError) in
            try DurationText.seconds(d, option: "--duration", bareUnit: .seconds, within: 900...129_600)
        }
        let signIn = ConsoleSignIn(durationSeconds: seconds)
        try signIn.validate()
        let opener = ConsoleOpener(environment: Environment.current())
        if !print { _ = try opener.settings() }
        let reporter = global.reporter
        try Run.session(global) { session in
            let result = try signIn.run(session)
            if print { return .text(result.url + "\n") }
            switch try opener.open(result.url) {
            case .opened(let page, let seconds):
                reporter("opened the AWS console in your browser as \(result.via); the sign-in page \(page) is deleted in \(seconds) s")
                return .text("")
            case .notOpened(let why):
                reporter("\(why): open this URL in a browser; it signs in whoever holds it, for 15 minutes")
                return .text(result.url + "\n")
            }
        }
    }
}
