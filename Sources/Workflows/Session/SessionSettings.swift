import AWSCore

/// What the global command-line options say, before anything is resolved.
public struct SessionSettings: Sendable {
    public var profile: String?
    public var region: String?
    public var endpointURL: String?
    /// `--cli-connect-timeout`, `--cli-read-timeout` and `--cli-total-timeout` as typed;
    /// range-checked when resolved.
    public var connectTimeout: String?
    public var readTimeout: String?
    public var totalTimeout: String?
    public var debug: Bool
    /// `--mfa-code` for profiles with `mfa_serial`.
    public var mfaCode: String?
    /// `--no-cache`: neither read nor write cached role credentials.
    public var noCache: Bool
    /// The profile may be one the files do not have yet (`credctl login` makes it).
    public var profileMayBeNew = false
    /// Ask a running `credctl agent` for the credentials first (the commands do; the agent itself
    /// and tests do not).
    public var askAgent: Bool
    /// False for work that must never wait on the user (shell completion): no MFA prompt or
    /// `mfa_process`, no `credential_process`, no vault passphrase but the variable's
    /// (`CredentialContext.withoutInteraction`).
    public var interactive = true

    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
                connectTimeout: String? = nil, readTimeout: String? = nil, totalTimeout: String? = nil, debug: Bool = false,
                mfaCode: String? = nil, noCache: Bool = false, askAgent: Bool = false) {
        self.askAgent = askAgent
        self.mfaCode = mfaCode
        self.noCache = noCache
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.debug = debug
    }
}
