import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl login` and `credctl logout` on a session: the profile checked, the flow run against
/// the sign-in endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_SIGNIN`, …, else the region's
/// sign-in host), the session cached where the AWS CLI caches it, the profile updated.
public enum LoginWorkflow {
    /// `confirmReplace` is asked (with the question) when the profile already names another
    /// session, as `aws login` asks; nil means there is no one to ask.
    public static func login(_ session: AWSSession, flow: LoginAuthorization.Flow, prompts: LoginFlow.Prompts,
                             confirmReplace: (String) -> Bool?) throws(AWSError) -> LoginReport.Login {
        let profile = session.profileSelection.name
        let update = LoginProfileUpdate(profile: profile, files: session.files, stateDirectory: StatePaths.directory(session.environment))
        try update.checkNoOtherCredentials()
        let endpoint: ResolvedEndpoint
        let region = try session.region?.name
        do throws(ConfigurationError) {
            endpoint = try EndpointResolver.resolveSignIn(region: region,
                                                          configured: session.endpoints.configured(for: .signIn).map { ($0.value, $0.source) })
        } catch {
            throw error.awsError
        }
        let signIn = SignInClient(client: AWSClient(core: try session.core(), keys: nil), endpoint: endpoint)
        let result = try LoginFlow(signIn: signIn, now: session.now).run(flow, prompts: prompts)
        if let current = update.currentSession, current != result.session {
            let question = "Profile \(profile) is already configured to use session \(current). Do you want to overwrite it to use \(result.session) instead? (y/n): "
            guard let yes = confirmReplace(question) else {
                throw .configuration(ConfigurationError("profile '\(profile)' already uses session \(current), not \(result.session); with no terminal to ask, nothing was written. Run credctl login --profile NEW-NAME, or remove login_session from '\(profile)' first"))
            }
            guard yes else { throw .configuration(ConfigurationError("kept session \(current) in profile '\(profile)'; nothing was written")) }
        }
        let cache = LoginTokenCache(directory: LoginSessionSettings.cacheDirectory(session.environment))
        try cache.store(result.token, for: result.session)
        let configPath = try update.write(session: result.session)
        return LoginReport.Login(profile: profile, session: result.session, accountId: result.token.accountId,
                                 expiresAt: result.token.expiresAt, cachePath: cache.path(for: result.session), configPath: configPath)
    }

    public static func logout(_ session: AWSSession, all: Bool) throws(AWSError) -> LoginLogout.Report {
        let logout = LoginLogout(cache: LoginTokenCache(directory: LoginSessionSettings.cacheDirectory(session.environment)))
        return all ? try logout.logoutAll() : try logout.logout(profile: session.profileSelection.name, files: session.files)
    }
}
