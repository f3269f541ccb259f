import AWSClients
import AWSCore
import SigV4

/// IAM Identity Center profiles (botocore's `SSOProvider`): a profile with `sso_account_id` /
/// `sso_role_name` and either `sso_session` or the legacy `sso_start_url` and `sso_region`.
/// The role credentials of `GetRoleCredentials` are cached like assumed roles' (under
/// `sso/` in credctl's cache, keyed as botocore keys them: account, role, and session name or
/// start URL) and reused until 15 minutes before they expire, so a cached set costs no call
/// at all; otherwise the session's token comes from the shared SSO cache (refreshed when due).
public struct SSOCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.sso
    let context: CredentialContext
    let profileName: String

    public init(context: CredentialContext, profileName: String) {
        self.context = context
        self.profileName = profileName
    }

    /// credctl's cache of SSO role credentials: the `sso` folder of the role cache, so that
    /// `sso logout` can remove exactly these.
    public static func roleCache(_ cache: CredentialCache?) -> CredentialCache? {
        cache.map { $0.subfolder("sso") }
    }

    /// The cache key: what botocore's `SSOCredentialFetcher` keys on.
    static func cacheKey(_ p: SSOProfile) -> String {
        CredentialCache.key([("Provider", "sso"), ("AccountId", p.accountId), ("RoleName", p.roleName),
                             ("SessionName", p.session.name), ("StartUrl", p.session.name == nil ? p.session.startURL : nil)])
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let sso = try SSOConfiguration.profile(profileName, files: context.files) else {
            return .notFound("profile '\(profileName)' has no sso_account_id or sso_role_name")
        }
        let now = context.now()
        let cache = Self.roleCache(context.cache)
        let key = Self.cacheKey(sso)
        let tokenCache = SSOTokenCache.standard(context.environment)
        let entry = cache?.load(key)
        if let entry, entry.expiration - now >= CredentialCache.refreshWindow {
            context.log("credentials: SSO role \(sso.roleName) in \(sso.accountId) from the cache, valid until \(Timestamp.format(entry.expiration))")
            let tokenExpiry = (try? tokenCache.load(sso.session))?.expiresAt
            return found(sso, entry.credentials, entry.expiration, token: tokenExpiry, refreshed: false, cached: true)
        }
        let login = SSOTokenProvider.loginCommand(profile: profileName, session: sso.session)
        do throws(AWSError) {
            let services = try SSOServices(context)
            let token = try SSOTokenProvider(session: sso.session, cache: tokenCache, services: services,
                                             loginCommand: login).token()
            context.log("credentials: SSO GetRoleCredentials for \(sso.roleName) in \(sso.accountId)")
            let role: SSORoleCredentials
            do {
                role = try services.portal(region: sso.session.region)
                    .getRoleCredentials(accessToken: token.token, accountId: sso.accountId, roleName: sso.roleName)
            } catch {
                throw Self.explain(error, sso: sso, login: login)
            }
            try cache?.store(CredentialCache.Entry(credentials: role.credentials, expiration: role.expiration, assumedRoleArn: ""), key: key)
            return found(sso, role.credentials, role.expiration, token: token.expiresAt, refreshed: token.refreshed, cached: false)
        } catch {
            // botocore's mandatory window: cached credentials with 10+ minutes left still serve.
            if let entry, entry.expiration - now >= CredentialCache.mandatoryWindow {
                context.log("credentials: SSO refresh failed (\(error)); using cached credentials until \(Timestamp.format(entry.expiration))")
                return found(sso, entry.credentials, entry.expiration, token: nil, refreshed: false, cached: true)
            }
            throw error
        }
    }

    /// `UnauthorizedException`: the token is no longer accepted, and only a new login helps.
    static func explain(_ error: AWSError, sso: SSOProfile, login: String) -> AWSError {
        guard case .service(let e) = error else { return error }
        switch e.code {
        case "UnauthorizedException":
            return .noCredentials("the SSO session for \(sso.session.label) has expired or is otherwise invalid (UnauthorizedException from GetRoleCredentials). Run `\(login)`")
        case "ForbiddenException", "ResourceNotFoundException":
            var e = e
            e.message += " (role \(sso.roleName) in account \(sso.accountId) is not assigned to you: `credctl sso accounts --profile \(sso.profile)` lists what is)"
            return .service(e)
        default:
            return error
        }
    }

    func found(_ sso: SSOProfile, _ signing: SigningCredentials, _ expiration: Int, token: Int?, refreshed: Bool, cached: Bool) -> ProviderOutcome {
        let details = SSOProvenance(sessionName: sso.session.name, startURL: sso.session.startURL, region: sso.session.region,
                                    accountId: sso.accountId, roleName: sso.roleName, tokenExpiration: token, tokenRefreshed: refreshed)
        return .found(Credentials(signing: signing, expiration: expiration,
                                  provenance: Provenance(provider: .sso, profile: sso.profile, location: sso.location,
                                                         fromCache: cached, sso: details),
                                  accountId: sso.accountId))
    }
}

extension SSOCredentialsProvider {
    public static let registration = ProviderRegistration(
        kind: .sso,
        reads: ["sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name"],
        alsoIn: [.sourceProfile]
    ) { scope in
        SSOCredentialsProvider(context: scope.context, profileName: scope.profileName)
    }
}

extension Provenance.Provider {
    public static let sso = Provenance.Provider("sso")
}
