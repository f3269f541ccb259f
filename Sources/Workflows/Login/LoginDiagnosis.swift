import AWSConfig
import AWSCore
import AWSCredentials
import SecretCrypto

/// `doctor`'s checks of a `login_session` profile, from the files alone (no call): the cached
/// session (missing, unreadable, its DPoP key, when its credentials expire and whether they will
/// be refreshed) and the sign-in endpoint a refresh would use. Empty for other profiles.
public enum LoginDiagnosis {
    public static func checks(_ session: AWSSession, now given: Int? = nil) -> [DoctorCheck] {
        let now = given ?? session.now()
        let name = session.profileSelection.name
        let settings = LoginSessionSettings.resolve(environment: session.environment, profileName: name, profile: session.profile)
        guard let login = settings.session else { return [] }
        let command = LoginSessionProvider.loginCommand(profile: name)
        var checks = [DoctorCheck("login session", .ok, "profile \(name): \(login.value) (\(login.source))")]
        let cache = LoginTokenCache(directory: settings.cacheDirectory)
        let token: LoginSessionToken
        do { token = try cache.load(login.value) } catch {
            return checks + [DoctorCheck("login cache", .fail, "\(error)", fix: "run \(command)")]
        }
        guard let der = token.dpopKeyDER, (try? P256SigningKey(der: der)) != nil else {
            return checks + [DoctorCheck("login cache", .fail, "\(cache.path(for: login.value)): its dpopKey is not a PEM P-256 private key",
                                         fix: "run \(command)")]
        }
        let expiry = Timestamp.format(token.expiresAt)
        let path = cache.path(for: login.value)
        if token.expiresAt - now > LoginSessionRefresher.refreshThreshold {
            checks.append(DoctorCheck("login cache", .ok, "\(path): account \(token.accountId), credentials valid until \(expiry)"))
        } else {
            checks.append(DoctorCheck("login cache", .info,
                                      "\(path): account \(token.accountId), credentials \(token.expiresAt <= now ? "expired at" : "valid until") \(expiry); they will be refreshed with the refresh token on next use"))
        }
        do throws(AWSError) {
            let endpoint = try session.credentialContext().signInEndpoint()
            checks.append(DoctorCheck("sign-in endpoint", .info, "\(endpoint.url) (\(endpoint.source))"))
        } catch {
            checks.append(DoctorCheck("sign-in endpoint", .fail, error.description,
                                      fix: "set a region (the sign-in host is regional), or AWS_ENDPOINT_URL_SIGNIN"))
        }
        return checks
    }
}
