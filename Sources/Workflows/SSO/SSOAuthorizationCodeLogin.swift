import AWSClients
import AWSCore
import AWSCredentials

/// The authorization-code grant with PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252), as the AWS CLI
/// v2's `SSOTokenFetcherAuth` and `AuthCodeFetcher` run it:
///
/// 1. A listener on 127.0.0.1 at a free port, bound before anything is sent or shown.
/// 2. The client registration (`authorization_code` and `refresh_token` grants, redirect URI
///    `http://127.0.0.1/oauth/callback`, the start URL as `issuerUrl`, the session's scopes or
///    `sso:account:access`).
/// 3. A new PKCE pair and a random state (a UUID); the browser is sent to `/authorize` on the
///    OIDC endpoint with `response_type=code`, `client_id`, `redirect_uri` (with the port),
///    `state`, `code_challenge_method=S256`, `scopes` and `code_challenge`.
/// 4. The listener waits (10 minutes at most) for `GET /oauth/callback`: an `error` stops the
///    login; otherwise the `state` must be the one sent, and the `code` is exchanged with
///    `CreateToken` (`authorization_code`, the redirect URI, the verifier).
///
/// Nothing is written unless a token comes back.
extension SSOLogin {
    /// The redirect path of the AWS CLI.
    public static let redirectPath = "/oauth/callback"

    /// What the browser shows after the redirect.
    static let redirectPage = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>credctl sso login</title></head>
        <body><p>The sign-in reached credctl. You can close this window and return to the command line.</p></body></html>
        """

    func runAuthorizationCode(onPending: (Prompt) -> Void) throws(AWSError) -> Report {
        let listener: LoopbackRedirectListener
        do {
            listener = try LoopbackRedirectListener()
        } catch {
            throw .configuration(ConfigurationError("sso login: \(error.description) for the sign-in redirect; run `\(loginCommand) --use-device-code` to sign in without one"))
        }
        let oidc = try services.oidc(region: session.region)
        let (registration, reused) = try registration(oidc, reuse: true)
        let pkce = PKCE()
        let state = IdempotencyToken.make()
        let redirectURI = "http://127.0.0.1:\(listener.port)\(Self.redirectPath)"
        let url = oidc.authorizationURL(clientId: registration.clientId, redirectURI: redirectURI, state: state,
                                        scopes: authorizationScopes, codeChallenge: pkce.challenge)
        services.core.log("sso: waiting for the sign-in redirect at \(redirectURI)")
        onPending(.authorizationCode(url: url))
        let code = try awaitCode(listener, state: state)
        do {
            let grant = try oidc.createToken(clientId: registration.clientId, clientSecret: registration.clientSecret,
                                             grant: .authorizationCode(code: code, redirectURI: redirectURI, codeVerifier: pkce.verifier))
            return try store(grant, registration: registration, reused: reused, polls: 1)
        } catch {
            guard case .service(let e) = error else { throw error }
            switch e.code {
            case "ExpiredTokenException", "InvalidGrantException":
                throw .noCredentials("the authorization code for \(session.label) was refused (\(e.code)): it expired or was used already; nothing was written. Run `\(loginCommand)` again")
            case "InvalidClientException" where reused:
                // The service no longer knows the cached registration (revoked, or the instance
                // recreated): drop it so that the next login registers anew.
                cache.removeRegistration(session)
                throw .noCredentials("the cached client registration for \(session.label) was refused (InvalidClientException) and has been removed; nothing was written. Run `\(loginCommand)` again")
            default:
                throw error
            }
        }
    }

    /// The code the redirect brings, once its state is checked. A request carrying neither an
    /// `error` nor a `code` and `state` is answered and the wait goes on, as in the AWS CLI.
    func awaitCode(_ listener: LoopbackRedirectListener, state: String) throws(AWSError) -> String {
        let deadline = MonotonicClock.now() + redirectTimeLimit
        while true {
            let left = deadline - MonotonicClock.now()
            guard left > 0, let query = listener.waitForRedirect(path: Self.redirectPath, page: Self.redirectPage, timeLimit: left) else {
                let minutes = Int(redirectTimeLimit / 60)
                let limit = minutes >= 1 ? "\(minutes) minute\(minutes == 1 ? "" : "s")" : "\(Int(redirectTimeLimit)) seconds"
                throw .noCredentials("the sign-in for \(session.label) was not completed within \(limit); nothing was written. Run `\(loginCommand)` again")
            }
            if let error = query["error"] {
                let what = Self.shown(error) + (query["error_description"].map { ": " + Self.shown($0) } ?? "")
                let verb = error == "access_denied" ? "was denied in the browser" : "failed"
                throw .noCredentials("the sign-in for \(session.label) \(verb) (\(what)); nothing was written. Run `\(loginCommand)` to try again")
            }
            guard let code = query["code"], let returned = query["state"] else { continue }
            guard returned == state else {
                throw .noCredentials("the sign-in redirect for \(session.label) carried another state than the one credctl sent (not the sign-in it started); nothing was written. Run `\(loginCommand)` again")
            }
            return code
        }
    }

    /// A value from the redirect (anyone on this computer can send one), made printable and short.
    static func shown(_ text: String) -> String {
        let escaped = PrintableText.escaped(text)
        return escaped.count > 80 ? String(escaped.prefix(80)) + "…" : escaped
    }
}
