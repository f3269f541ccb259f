import AWSConfig
import AWSCore
import AWSCredentials

/// `doctor`'s IAM Identity Center checks, made from the files alone (no call): the profile's
/// SSO settings, the cached token (missing, unreadable, expired, refreshable), the client
/// registration, whether the token was issued for the configured start URL and `sso_region`,
/// and the endpoints used. Empty for a profile without SSO settings.
public enum SSODiagnosis {
    public static func checks(_ session: AWSSession, now given: Int? = nil) -> [DoctorCheck] {
        let now = given ?? session.now()
        let name = session.profileSelection.name
        guard let profile = session.profile,
              ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name"].contains(where: { profile.values[$0] != nil }) else { return [] }
        let sso: SSOSession
        var checks: [DoctorCheck] = []
        do {
            if let p = try SSOConfiguration.profile(name, files: session.files) {
                sso = p.session
                checks.append(DoctorCheck("sso configuration", .ok,
                                          "profile \(name): role \(p.roleName) in account \(p.accountId) via \(sso.label) (\(sso.startURL), sso_region \(sso.region))"))
            } else {
                sso = try SSOConfiguration.loginSession(profile: name, files: session.files)
                checks.append(DoctorCheck("sso configuration", .info,
                                          "profile \(name) names \(sso.label) but has no sso_account_id and sso_role_name: it gives SSO tokens (sso login, sso accounts), not credentials",
                                          fix: "add sso_account_id and sso_role_name (credctl sso sync writes a profile for every account and role)"))
            }
        } catch {
            return [DoctorCheck("sso configuration", .fail, error.description,
                                fix: "correct the file and line named: an [sso-session NAME] needs sso_start_url and sso_region; a profile needs sso_account_id and sso_role_name")]
        }
        let login = "credctl sso login --profile \(name)"
        let cache = SSOTokenCache.standard(session.environment)
        let token: SSOToken
        do { token = try cache.load(sso) } catch {
            checks.append(DoctorCheck("sso token", .fail, "\(sso.label): \(error)", fix: "run \(login)"))
            return checks + [endpointCheck(session, sso)]
        }
        checks.append(tokenCheck(token, sso, now: now, login: login))
        if let check = registrationCheck(token, now: now, login: login) { checks.append(check) }
        if let region = token.region, region != sso.region {
            checks.append(DoctorCheck("sso region", .fail,
                                      "the cached token was issued by IAM Identity Center in \(region), but sso_region is \(sso.region) (\(sso.location))",
                                      fix: "set sso_region to the region of your IAM Identity Center instance, then run \(login)"))
        } else if let url = token.startURL, url != sso.startURL {
            checks.append(DoctorCheck("sso start url", .fail, "the cached token is for \(url), but the configuration says \(sso.startURL) (\(sso.location))",
                                      fix: "run \(login) to sign in to \(sso.startURL)"))
        }
        return checks + [endpointCheck(session, sso)]
    }

    static func tokenCheck(_ token: SSOToken, _ sso: SSOSession, now: Int, login: String) -> DoctorCheck {
        let expiry = Timestamp.format(token.expiresAt)
        let refreshable = sso.name != nil && token.refreshToken != nil && token.clientId != nil && token.clientSecret != nil
            && (token.registrationExpiry.map { $0 > now } ?? false)
        if token.expiresAt <= now {
            return refreshable
                ? DoctorCheck("sso token", .warn, "expired at \(expiry); it will be refreshed with its refresh token on next use")
                : DoctorCheck("sso token", .fail, "expired at \(expiry) and cannot be refreshed (\(refreshProblem(token, sso, now: now)))", fix: "run \(login)")
        }
        if token.expiresAt - now < SSOTokenProvider.refreshWindow {
            return DoctorCheck("sso token", .info, "valid until \(expiry); " + (refreshable ? "it will be refreshed on next use" : "then run \(login)"))
        }
        return DoctorCheck("sso token", .ok, "valid until \(expiry)" + (refreshable ? ", refreshable" : ""))
    }

    static func refreshProblem(_ token: SSOToken, _ sso: SSOSession, now: Int) -> String {
        if sso.name == nil { return "a legacy sso_start_url profile's token is never refreshed; use an [sso-session]" }
        if token.refreshToken == nil || token.clientId == nil || token.clientSecret == nil { return "the cache has no refresh token" }
        if let r = token.registrationExpiry, r <= now { return "the client registration expired at \(Timestamp.format(r))" }
        return "its registrationExpiresAt is missing or unreadable"
    }

    static func registrationCheck(_ token: SSOToken, now: Int, login: String) -> DoctorCheck? {
        guard let text = token.registrationExpiresAt else { return nil }
        guard let expiry = token.registrationExpiry else {
            return DoctorCheck("sso client registration", .warn, "registrationExpiresAt '\(text)' is not a time", fix: "run \(login)")
        }
        if expiry <= now {
            return DoctorCheck("sso client registration", token.expiresAt <= now ? .fail : .warn,
                               "expired at \(Timestamp.format(expiry)): the token cannot be refreshed", fix: "run \(login) (it registers a new client)")
        }
        return DoctorCheck("sso client registration", .ok, "valid until \(Timestamp.format(expiry))")
    }

    static func endpointCheck(_ session: AWSSession, _ sso: SSOSession) -> DoctorCheck {
        do throws(AWSError) {
            let services = try SSOServices(try session.credentialContext())
            let portal = try services.endpoint(.sso, region: sso.region)
            let oidc = try services.endpoint(.ssoOIDC, region: sso.region)
            return DoctorCheck("sso endpoints", .info, "portal \(portal.url) (\(portal.source)); oidc \(oidc.url) (\(oidc.source))")
        } catch {
            return DoctorCheck("sso endpoints", .fail, error.description, fix: "check AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL")
        }
    }

    /// The fix for a credentials failure on an SSO profile (nil for other profiles): a new
    /// login, or the `sso_region` when the portal's name does not resolve.
    public static func credentialsFix(_ session: AWSSession, error: AWSError) -> String? {
        let name = session.profileSelection.name
        guard let p = try? SSOConfiguration.profile(name, files: session.files) else {
            if case .configuration = error, session.profile?.values["sso_session"] != nil || session.profile?.values["sso_account_id"] != nil {
                return "correct the SSO settings at the file and line named"
            }
            return nil
        }
        if case .transport(let t) = error, t.kind == .dnsFailure {
            return "check sso_region (\(p.session.region), \(p.session.location)): it must be the region of your IAM Identity Center instance"
        }
        return "run credctl sso login --profile \(name)"
    }
}
