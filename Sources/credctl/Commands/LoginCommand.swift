import ArgumentParser
import AWSCore
import Workflows

struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in with your AWS console credentials, as `aws login` does, and use the session in a profile.",
        discussion: HelpText.reflowed("""
            credctl login                          # the default profile
            credctl login --profile dev --region eu-west-1
            credctl login --profile dev --remote   # sign in elsewhere, paste the code

            Opens the AWS sign-in page (a listener on 127.0.0.1 receives the answer; the URL is printed
            on stderr too), then caches the session where the AWS CLI does
            ($AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache/<sha256 of the session>.json, mode 0600)
            and sets login_session in the profile. credctl, the AWS CLI and botocore then use the
            session's credentials and refresh them (every 15 minutes) while the session lasts. A
            profile that already gets credentials another way is refused.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do not wait for a redirect on this machine: print the URL, then read the code the sign-in page shows.")
    var remote = false

    func run() throws {
        try Run.session(global, profileMayBeNew: true) { session in
            let prompts = LoginFlow.Prompts(show: { authorization in
                if authorization.flow == .remote {
                    StandardStream.error.write("Browser will not be automatically opened.\nPlease visit the following URL:\n\n\(authorization.url)\n")
                    StandardStream.error.write("\nEnter the authorization code displayed in your browser: ")
                    return
                }
                let opened = SSOBrowser.isDesktop(session.environment) && SSOBrowser.open(authorization.url, environment: session.environment)
                StandardStream.error.write((opened ? "A browser was opened. If it did not, open the following URL.\n"
                                                   : "Open the following URL in a browser on this machine.\n")
                    + "If you are unable to open the URL on this device, run this command again with the '--remote' option.\n\n\(authorization.url)\n\nWaiting for the sign-in...\n")
            }, readCode: { readLine(strippingNewline: true) })
            let confirm = { (question: String) -> Bool? in
                guard StandardStream.input.isTerminal, StandardStream.error.isTerminal else { return nil }
                StandardStream.error.write("\n" + question)
                return readLine().map { $0.trimmingSpaces().lowercased().hasPrefix("y") } ?? false
            }
            return .report(LoginReport.login(try LoginWorkflow.login(session, flow: remote ? .remote : .sameDevice, prompts: prompts,
                                                                     confirmReplace: confirm)))
        }
    }
}

struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove the cached login session of a profile (or every one with --all), as `aws logout` does.",
        discussion: HelpText.reflowed("""
            credctl logout --profile dev
            credctl logout --all

            Removes the profile's session file from the login cache; the profile keeps its
            login_session (run credctl login to sign in again). --all removes every session file of
            the cache, whatever profile uses it. Credentials already handed out stay valid until they
            expire (15 minutes at most).

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Remove every cached login session, not only the profile's.")
    var all = false

    func run() throws {
        try Run.session(global) { session in
            let report = try LoginWorkflow.logout(session, all: all)
            if !all, report.session == nil {
                StandardStream.error.write("credctl: warning: no login session found for profile '\(PrintableText.escaped(session.profileSelection.name))'\n")
            }
            return .report(LoginReport.logout(report))
        }
    }
}
