import ArgumentParser
import AWSConfig
import AWSCore
import AWSCredentials
import Workflows

struct SSOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sso",
        abstract: "IAM Identity Center: sign in (sharing the AWS CLI v2's token cache), sign out, list accounts and roles, write profiles.",
        discussion: "See sso.md in share/doc/credctl.",
        subcommands: [SSOLoginCommand.self, SSOLogoutCommand.self, SSOAccountsCommand.self, SSOSyncCommand.self]
    )
}

/// `--sso-session NAME`, the alternative to `--profile` for the sso commands.
struct SSOSessionOption: ParsableArguments {
    @Option(name: .customLong("sso-session"), help: "Use this [sso-session NAME] of the config file instead of a profile's.")
    var name: String?
}

struct SSOLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to IAM Identity Center with the device flow and cache the token where the AWS CLI v2 reads it.",
        discussion: HelpText.reflowed("""
            credctl sso login --profile dev
            credctl sso login --sso-session corp --no-browser

            Registers a client (or reuses the registration cached in ~/.aws/sso/cache), starts a
            device authorization, shows the verification URL and code (on stderr) and waits while
            you approve it in a browser; then writes the token to ~/.aws/sso/cache/<sha1>.json
            (mode 0600), where the AWS CLI v2, botocore and the SDKs find it too. A browser is
            opened only on a desktop (DISPLAY or WAYLAND_DISPLAY set, or macOS) and without
            --no-browser. Exit 3 when the authorization expires or is denied.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var ssoSession: SSOSessionOption

    @Flag(name: .customLong("no-browser"), help: "Only print the verification URL and code; never open a browser.")
    var noBrowser = false

    func run() throws {
        try Run.session(global) { session in
            let target = try SSOTarget.resolve(session, ssoSession: ssoSession.name)
            let login = SSOLogin(session: target.session, cache: target.tokenCache, services: target.services, loginCommand: target.loginCommand)
            let openBrowser = !noBrowser && SSOBrowser.isDesktop(session.environment)
            return .report(SSOReport.login(try login.run { authorization in
                var text = "Sign in to \(target.session.startURL) (\(target.session.label)):\n\n"
                if openBrowser, SSOBrowser.open(authorization.verificationUriComplete, environment: session.environment) {
                    text += "A browser was opened. If it did not, open this page:\n"
                } else {
                    text += "Open this page in a browser (on any device):\n"
                }
                text += "\n    \(authorization.verificationUri)\n\nand enter the code:\n\n    \(authorization.userCode)\n\n"
                text += "(or open \(authorization.verificationUriComplete), which fills the code in)\nWaiting for the sign-in to be approved...\n"
                StandardStream.error.write(text)
            }))
        }
    }}

struct SSOLogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Sign out of every cached IAM Identity Center session and remove the tokens and the role credentials obtained with them.",
        discussion: HelpText.reflowed("""
            As `aws sso logout`: each token file in ~/.aws/sso/cache is signed out with the portal's
            Logout call and removed (client registrations stay), then the cached SSO role
            credentials are removed: credctl's (~/.aws/credctl/cache/sso) and the AWS CLI's
            (~/.aws/cli/cache files with "ProviderType": "sso"). A Logout the service refuses is
            reported; the file is removed all the same.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Run.session(global) { session in
            if session.settings.endpointURL != nil {
                throw AWSError.configuration(ConfigurationError("--endpoint-url does not apply to sso commands: set AWS_ENDPOINT_URL_SSO"))
            }
            let cache = CredentialCache.standard(session.environment)
            return .report(SSOReport.logout(try SSOLogout(tokenCache: SSOTokenCache.standard(session.environment),
                                                          roleCacheDirectory: SSOCredentialsProvider.roleCache(cache)?.directory,
                                                          cliCacheDirectory: StatePaths.resolve(session.environment).cliCache,
                                                          services: try SSOServices(try session.credentialContext())).run()))
        }
    }}

struct SSOAccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "The accounts and roles the signed-in IAM Identity Center user can reach.",
        discussion: HelpText.reflowed("""
            credctl sso accounts --profile dev
            credctl sso accounts --sso-session corp --output json

            ListAccounts and ListAccountRoles, every page; one row per account and role. Uses the
            cached token (refreshed when due); exit 3 with the login command when there is none.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var ssoSession: SSOSessionOption

    func run() throws {
        try Run.session(global) { session in
            .report(SSOReport.accounts(try SSOAccounts.run(try SSOTarget.resolve(session, ssoSession: ssoSession.name))))
        }
    }}
