import AWSCore
import AWSCredentials
import SigV4

/// One `aws login` authorization request, as the AWS CLI v2 builds it
/// (`awscli/customizations/login/utils.py`): the client (same-device or cross-device), a
/// random `state` (a UUID), PKCE (a 64-character verifier, its SHA-256 challenge), and the
/// redirect: the loopback listener's `http://127.0.0.1:PORT/oauth/callback`, or for the
/// remote flow the service's own confirmation page, which shows a code to paste back.
public struct LoginAuthorization: Sendable {
    public enum Flow: Sendable, Equatable {
        /// A browser on this machine, redirected to a loopback listener.
        case sameDevice
        /// A browser anywhere; the user pastes back the code the sign-in page shows.
        case remote
    }

    public static let sameDeviceClient = "arn:aws:signin:::devtools/same-device"
    public static let crossDeviceClient = "arn:aws:signin:::devtools/cross-device"
    public static let callbackPath = "/oauth/callback"

    public let flow: Flow
    public let baseURL: String
    public let redirectURI: String
    public let state: String
    public let pkce: PKCE

    public init(flow: Flow, baseURL: String, redirectURI: String, state: String, pkce: PKCE = PKCE()) {
        self.flow = flow
        self.baseURL = baseURL
        self.redirectURI = redirectURI
        self.state = state
        self.pkce = pkce
    }

    public var clientId: String { flow == .sameDevice ? Self.sameDeviceClient : Self.crossDeviceClient }

    /// `BASE/v1/authorize?response_type=code&client_id=…&state=…&code_challenge_method=SHA-256&scope=openid&redirect_uri=…&code_challenge=…`:
    /// the AWS CLI's parameters in its order, percent-encoded as botocore encodes them.
    public var url: String {
        let query = [("response_type", "code"), ("client_id", clientId), ("state", state), ("code_challenge_method", "SHA-256"),
                     ("scope", "openid"), ("redirect_uri", redirectURI)]
        return "\(baseURL)/v1/authorize?" + query.map { "\($0.0)=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
            + "&code_challenge=\(pkce.challenge)"
    }

    /// The code and state in what the remote flow's page shows: base64 of `state=…&code=…`.
    public static func parseVerificationCode(_ text: String) throws(AWSError) -> (code: String, state: String) {
        // Whitespace is dropped, as Python's b64decode drops it (a code pasted across a line break).
        guard let bytes = Base64.decode(String(text.filter { !$0.isWhitespace })), let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .configuration(ConfigurationError("the authorization code is not what the sign-in page shows (it is not base64); nothing was written"))
        }
        let query = FormQuery.parse(decoded)
        guard let code = query["code"], !code.isEmpty, let state = query["state"] else {
            throw .configuration(ConfigurationError("the authorization code does not hold a code and a state; nothing was written"))
        }
        return (code, state)
    }

    /// The session name in an ID token: the `sub` of its payload (the principal's ARN), and the
    /// account in it, as the AWS CLI reads them.
    public static func session(fromIDToken token: String) throws(AWSError) -> (session: String, accountId: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64.decodeURL(String(parts[1])), let json = try? JSONValue.parse(payload),
              let sub = json["sub"]?.stringValue else {
            throw .invalidResponse(operation: "signin:CreateOAuth2Token", detail: "the idToken is not a JWT with a sub")
        }
        let arn = sub.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard arn.count == 6, arn[0] == "arn", arn[4].count == 12, arn[4].allSatisfy({ $0.isASCII && $0.isNumber }),
              !sub.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidResponse(operation: "signin:CreateOAuth2Token", detail: "the idToken's sub is not an ARN with an account id")
        }
        return (sub, String(arn[4]))
    }
}
