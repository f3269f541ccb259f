import AWSClients
import AWSCore
import SecretCrypto

/// The credentials of one `aws login` session, as botocore's `LoginCredentialFetcher` gives
/// them: read from the cache file on every call (another process, the AWS CLI or another
/// credctl, may have refreshed it since), served as they are while more than 5 minutes remain,
/// otherwise refreshed: `CreateOAuth2Token` with the refresh-token grant and a DPoP proof signed
/// with the session's key, and the new credentials and refresh token written back (atomically,
/// 0600) with every other member of the file as it was.
public struct LoginSessionRefresher: Sendable {
    /// botocore's `_REFRESH_THRESHOLD`: refresh when this many seconds or fewer remain.
    public static let refreshThreshold = 5 * 60

    public let session: String
    public let cache: LoginTokenCache
    /// Made only when a refresh is due (a fresh session costs no endpoint resolution).
    public let signIn: @Sendable () throws(AWSError) -> SignInClient
    /// What to tell the user to run when only a new login helps.
    public let loginCommand: String
    public let now: @Sendable () -> Int
    public let newProofId: @Sendable () throws(AWSError) -> String

    public init(session: String, cache: LoginTokenCache, signIn: @escaping @Sendable () throws(AWSError) -> SignInClient,
                loginCommand: String, now: @escaping @Sendable () -> Int = { WallClock.now() },
                newProofId: @escaping @Sendable () throws(AWSError) -> String = LoginSessionRefresher.randomProofId) {
        self.session = session
        self.cache = cache
        self.signIn = signIn
        self.loginCommand = loginCommand
        self.now = now
        self.newProofId = newProofId
    }

    public struct Outcome: Sendable {
        public var token: LoginSessionToken
        /// True when refreshed (and written back) for this call.
        public var refreshed: Bool
        public var path: String
    }

    public func credentials() throws(AWSError) -> Outcome {
        let path = cache.path(for: session)
        let token: LoginSessionToken
        do { token = try cache.load(session) } catch {
            throw .noCredentials("no usable login session for \(session): \(error). Run `\(loginCommand)`")
        }
        if token.expiresAt - now() > Self.refreshThreshold { return Outcome(token: token, refreshed: false, path: path) }
        let fresh = try refresh(token, path: path)
        try cache.store(fresh, for: session)
        return Outcome(token: fresh, refreshed: true, path: path)
    }

    func refresh(_ token: LoginSessionToken, path: String) throws(AWSError) -> LoginSessionToken {
        let key: P256SigningKey
        do {
            guard let der = token.dpopKeyDER else { throw P256SigningKey.Failure.notAP256Key }
            key = try P256SigningKey(der: der)
        } catch {
            throw .noCredentials("the cached login session \(path) is unusable: its dpopKey is not a PEM P-256 private key. Run `\(loginCommand)`")
        }
        let client = try signIn()
        let grant: SignInTokenGrant
        do {
            grant = try client.createToken(clientId: token.clientId, grant: .refreshToken(token.refreshToken)) { url throws(AWSError) in
                let id = try newProofId()
                do { return try DPoPProof.make(key: key, url: url, issuedAt: now(), id: id) } catch {
                    throw .configuration(ConfigurationError("cannot sign the DPoP proof: \(error)"))
                }
            }
        } catch {
            throw explain(error)
        }
        return token.refreshed(accessKeyId: grant.accessKeyId, secretAccessKey: grant.secretAccessKey, sessionToken: grant.sessionToken,
                               expiresAt: now() + grant.expiresIn, refreshToken: grant.refreshToken)
    }

    /// botocore's `LoginRefreshRequired` and `LoginInsufficientPermissions`, with what to do.
    func explain(_ error: AWSError) -> AWSError {
        guard case .service(var e) = error else { return error }
        switch e.code {
        case "TOKEN_EXPIRED", "USER_CREDENTIALS_CHANGED":
            let why = e.code == "TOKEN_EXPIRED" ? "has expired" : "ended because the user's credentials changed"
            return .noCredentials("the login session \(session) \(why) (\(e.code) from the sign-in service); nothing was changed. Run `\(loginCommand)`")
        case "INSUFFICIENT_PERMISSIONS":
            e.message = "the login session \(session) cannot be refreshed: the signed-in user lacks permission for signin:CreateOAuth2Token (INSUFFICIENT_PERMISSIONS). Grant it, then run `\(loginCommand)`"
            return .service(e)
        default:
            return error
        }
    }

    /// A fresh UUID from libcrypto's generator.
    @Sendable public static func randomProofId() throws(AWSError) -> String {
        do { return try DPoPProof.newId() } catch { throw .configuration(ConfigurationError("no random bytes for the DPoP proof: \(error)")) }
    }
}
