import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// `login_session` profiles (botocore's `LoginProvider`, after the credentials file and before
/// `credential_process`): the credentials of an `aws login` / `credctl login` session from the
/// AWS CLI's login cache, refreshed through the sign-in service when 5 minutes or less remain
/// (`LoginSessionRefresher`). A profile without `login_session` passes; one with it and no
/// usable session stops the chain (exit 3) with the login command to run, as botocore stops.
public struct LoginSessionProvider: CredentialProvider {
    public let kind = Provenance.Provider.loginSession
    let context: CredentialContext
    let settings: LoginSessionSettings

    public init(context: CredentialContext, settings: LoginSessionSettings) {
        self.context = context
        self.settings = settings
    }

    /// `credctl login`, with `--profile` unless the profile is `default`.
    public static func loginCommand(profile: String) -> String {
        profile == "default" ? "credctl login" : "credctl login --profile \(profile)"
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let session = settings.session else { return .notFound("profile '\(settings.profile)' has no login_session") }
        let context = self.context
        let refresher = LoginSessionRefresher(
            session: session.value, cache: LoginTokenCache(directory: settings.cacheDirectory),
            signIn: { () throws(AWSError) -> SignInClient in
                SignInClient(client: AWSClient(core: try context.core(), keys: nil), endpoint: try context.signInEndpoint())
            },
            loginCommand: Self.loginCommand(profile: settings.profile), now: context.now, lockDirectory: settings.lockDirectory)
        let outcome = try refresher.credentials()
        let token = outcome.token
        context.log("credentials: login session \(session.value) from \(outcome.path)\(outcome.refreshed ? " (refreshed)" : ""), valid until \(Timestamp.format(token.expiresAt))")
        let details = LoginProvenance(session: session.value, accountId: token.accountId, cachePath: outcome.path, refreshed: outcome.refreshed)
        return .found(Credentials(signing: SigningCredentials(accessKeyId: token.accessKeyId, secretAccessKey: token.secretAccessKey,
                                                              sessionToken: token.sessionToken),
                                  expiration: token.expiresAt,
                                  provenance: Provenance(provider: kind, profile: settings.profile, location: session.source,
                                                         login: details),
                                  accountId: token.accountId))
    }
}

extension LoginSessionProvider {
    /// After the credentials file and before `credential_process`, in the standard chain and
    /// for a role's `source_profile`, as botocore's `ProfileProviderBuilder` places it.
    public static let registration = ProviderRegistration(
        kind: .loginSession,
        reads: [LoginSessionSettings.profileKey, LoginSessionSettings.cacheDirectoryVariable, "AWS_ENDPOINT_URL_SIGNIN"],
        alsoIn: [.sourceProfile]
    ) { scope in
        LoginSessionProvider(context: scope.context, settings: .resolve(environment: scope.context.environment, profileName: scope.profileName,
                                                                       profile: scope.profileValues))
    }
}

extension Provenance.Provider {
    /// A `login_session` profile: `aws login` (or `credctl login`) credentials from the AWS CLI's login cache.
    public static let loginSession = Provenance.Provider("login-session")
}
