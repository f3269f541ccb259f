import AWSClients
import AWSCore
import AWSCredentials
import SecretCrypto

/// `credctl login`: the authorization-code flow of `aws login` (AWS CLI 2.32+), giving a
/// session the AWS CLI, botocore and credctl all use.
///
/// 1. A new P-256 key (the session's DPoP key) and PKCE.
/// 2. Same device: a listener on 127.0.0.1 at a free port, bound before anything is shown, then
///    the authorization URL shown (and a browser opened); the redirect to
///    `/oauth/callback?code=…&state=…` is awaited for up to 10 minutes. Remote: the URL shown,
///    the code the sign-in page displays read back from the user.
/// 3. The state checked, then `CreateOAuth2Token` with the authorization-code grant, the PKCE
///    verifier and a DPoP proof; the ID token names the session (the principal's ARN).
/// 4. The session as the AWS CLI caches it (`LoginSessionToken`), ready to be written.
public struct LoginFlow: Sendable {
    /// The AWS CLI's `AuthCodeFetcher._OVERALL_TIMEOUT`.
    public static let defaultTimeLimit = 600.0
    static let page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>credctl login</title></head>
        <body><p>Signed in. You can close this page and return to the terminal.</p></body></html>

        """

    public let signIn: SignInClient
    public let now: @Sendable () -> Int
    public let timeLimit: Double

    public init(signIn: SignInClient, now: @escaping @Sendable () -> Int = { WallClock.now() }, timeLimit: Double = defaultTimeLimit) {
        self.signIn = signIn
        self.now = now
        self.timeLimit = timeLimit
    }

    public struct Result: Sendable {
        public var session: String
        public var token: LoginSessionToken
    }

    /// How the flow talks to the user: `show` gets the authorization (print it, open a
    /// browser); `readCode` asks for the remote flow's code (nil: no answer).
    public struct Prompts: Sendable {
        public var show: @Sendable (LoginAuthorization) -> Void
        public var readCode: @Sendable () -> String?

        public init(show: @escaping @Sendable (LoginAuthorization) -> Void, readCode: @escaping @Sendable () -> String?) {
            self.show = show
            self.readCode = readCode
        }
    }

    public func run(_ flow: LoginAuthorization.Flow, prompts: Prompts) throws(AWSError) -> Result {
        let key: P256SigningKey
        let state: String
        do {
            key = try P256SigningKey.generate()
            state = try DPoPProof.newId()
        } catch {
            throw .configuration(ConfigurationError("cannot make the session's key: \(error)"))
        }
        let code: String
        let authorization: LoginAuthorization
        switch flow {
        case .sameDevice:
            let listener: LoopbackRedirectListener
            do { listener = try LoopbackRedirectListener() } catch {
                throw .configuration(ConfigurationError("\(error); run credctl login --remote to sign in from another device"))
            }
            authorization = LoginAuthorization(flow: flow, baseURL: signIn.baseURL,
                                               redirectURI: "http://127.0.0.1:\(listener.port)\(LoginAuthorization.callbackPath)", state: state)
            prompts.show(authorization)
            // As the AWS CLI's callback handler: a request with neither `error` nor `code` and
            // `state` (a favicon, a reload without its query) is answered and the wait goes on.
            let deadline = MonotonicClock.now() + timeLimit
            var query: [String: String] = [:]
            while query["error"] == nil, query["code"] == nil || query["state"] == nil {
                let left = deadline - MonotonicClock.now()
                guard left > 0, let next = listener.waitForRedirect(path: LoginAuthorization.callbackPath, page: Self.page, timeLimit: left) else {
                    throw .noCredentials("the sign-in was not completed within \(Int(timeLimit / 60)) minutes; nothing was written. Run credctl login again")
                }
                query = next
            }
            if let error = query["error"] {
                throw .noCredentials("the sign-in page answered '\(PrintableText.escaped(String(error.prefix(64))))' instead of a code; nothing was written")
            }
            guard let got = query["code"], !got.isEmpty, let returned = query["state"] else {
                throw .noCredentials("the sign-in redirect carried no authorization code; nothing was written")
            }
            try Self.check(state: returned, expected: state)
            code = got
        case .remote:
            authorization = LoginAuthorization(flow: flow, baseURL: signIn.baseURL,
                                               redirectURI: "\(signIn.baseURL)/v1/sessions/confirmation", state: state)
            prompts.show(authorization)
            guard let text = prompts.readCode(), !text.trimmingSpaces().isEmpty else {
                throw .configuration(ConfigurationError("no authorization code was entered; nothing was written"))
            }
            let parsed = try LoginAuthorization.parseVerificationCode(text)
            try Self.check(state: parsed.state, expected: state)
            code = parsed.code
        }
        return try exchange(code: code, authorization: authorization, key: key)
    }

    static func check(state: String, expected: String) throws(AWSError) {
        guard state == expected else {
            throw .noCredentials("the sign-in answer's state does not match this login's (it may come from another sign-in); nothing was written. Run credctl login again")
        }
    }

    func exchange(code: String, authorization: LoginAuthorization, key: P256SigningKey) throws(AWSError) -> Result {
        let grant = try signIn.createToken(clientId: authorization.clientId,
                                           grant: .authorizationCode(code: code, redirectURI: authorization.redirectURI,
                                                                     codeVerifier: authorization.pkce.verifier)) { url throws(AWSError) in
            let id = try LoginSessionRefresher.randomProofId()
            do { return try DPoPProof.make(key: key, url: url, issuedAt: now(), id: id) } catch {
                throw .configuration(ConfigurationError("cannot sign the DPoP proof: \(error)"))
            }
        }
        guard let idToken = grant.idToken else {
            throw .invalidResponse(operation: "signin:CreateOAuth2Token", detail: "no idToken in the answer to the authorization code")
        }
        let (session, account) = try LoginAuthorization.session(fromIDToken: idToken)
        let token = LoginSessionToken(accessKeyId: grant.accessKeyId, secretAccessKey: grant.secretAccessKey, sessionToken: grant.sessionToken,
                                      accountId: account, expiresAt: now() + grant.expiresIn, tokenType: grant.tokenType,
                                      clientId: authorization.clientId, refreshToken: grant.refreshToken, idToken: idToken,
                                      dpopKey: Self.pem(key.der))
        return Result(session: session, token: token)
    }

    /// SEC1 PEM, 64 characters a line, as the AWS CLI writes the key.
    static func pem(_ der: [UInt8]) -> String {
        let body = Array(Base64.encode(der))
        let lines = stride(from: 0, to: body.count, by: 64).map { String(body[$0..<min($0 + 64, body.count)]) }
        return "-----BEGIN EC PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END EC PRIVATE KEY-----\n"
    }
}
