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
        abstract: "Sign in to IAM Identity Center and cache the token where the AWS CLI v2 reads it.",
        discussion: HelpText.reflowed("""
            credctl sso login --profile dev
            credctl sso login --sso-session corp --no-browser
            credctl sso login --profile dev --use-device-code

            As `aws sso login`. For an [sso-session] the sign-in is the authorization-code flow
            with PKCE: a browser on this computer opens the sign-in page and is sent back to a
            listener on 127.0.0.1 (10 minutes at most). With --use-device-code, and always for
            legacy profiles (sso_start_url in the profile), it is the device flow: a page and a
            code you can confirm on any device. A start URL on your own domain is followed to
            the IAM Identity Center URL it redirects to, as the AWS CLI does (and sso_region
            set to the region it leads to, after the login). The token is
            written to ~/.aws/sso/cache/<sha1>.json (mode 0600), where the AWS CLI v2, botocore
            and the SDKs find it too. A browser is opened only on a desktop (DISPLAY or
            WAYLAND_DISPLAY set, or macOS) and without --no-browser, which prints the URL only.
            Exit 3 when the sign-in is denied, expires or is not completed.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var ssoSession: SSOSessionOption

    @Flag(name: .customLong("no-browser"), help: "Only print the sign-in URL (and code); never open a browser.")
    var noBrowser = false

    @Flag(name: .customLong("use-device-code"), help: "Use the device flow (a page and a code, on any device) instead of the authorization-code flow.")
    var useDeviceCode = false

    func run() throws {
        try Run.session(global) { session in
            let target = try SSOTarget.resolve(session, ssoSession: ssoSession.name)
            let start = try SSOStartURL.resolve(target.session, services: target.services)
            let flow = SSOLogin.flow(for: target.session, useDeviceCode: useDeviceCode)
            var signIn = target.session
            signIn.region = start.region
            let login = SSOLogin(session: signIn, flow: flow, authorizationStartURL: start.url, cache: target.tokenCache,
                                 services: target.services, loginCommand: target.loginCommand)
            let openBrowser = !noBrowser && SSOBrowser.isDesktop(session.environment)
            var report = try login.run { prompt in
                StandardStream.error.write(SSOLoginPrompt.text(prompt, session: signIn, loginCommand: target.loginCommand) { url in
                    openBrowser && SSOBrowser.open(url, environment: session.environment)
                })
            }
            // Only after a successful login, as the AWS CLI: the region the start URL led to.
            if start.region != target.session.region {
                report.regionUpdatedIn = try SSORegionUpdate.apply(region: start.region, session: target.session, profile: target.profile,
                                                                   configPath: session.files.configPath,
                                                                   stateDirectory: StatePaths.directory(session.environment))
            }
            return .report(SSOReport.login(report))
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
