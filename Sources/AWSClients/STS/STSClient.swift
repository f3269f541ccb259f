import AWSCore
import SigV4

/// The account, ARN and user id behind a set of credentials.
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userId: String
}

/// What `AssumeRole` and `AssumeRoleWithWebIdentity` return.
public struct AssumedRole: Sendable {
    public var credentials: SigningCredentials
    /// Seconds since 1970.
    public var expiration: Int
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    public var assumedRoleArn: String
}

/// What `GetSessionToken` returns: temporary credentials for the caller's own long-term key.
public struct SessionToken: Sendable {
    public var credentials: SigningCredentials
    /// Seconds since 1970.
    public var expiration: Int
}

/// The parameters of `AssumeRole` credctl sends.
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleArn: String
    public var sessionName: String
    public var externalId: String?
    public var durationSeconds: Int?
    public var mfaSerial: String?
    public var mfaCode: String?

    public init(roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
                mfaSerial: String? = nil, mfaCode: String? = nil) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.mfaSerial = mfaSerial
        self.mfaCode = mfaCode
    }
}

/// The STS operations credctl calls. A repeated AssumeRole makes a second session, which is
/// harmless (the first set of credentials simply goes unused).
public enum STSOperation: String, ServiceOperation, CaseIterable {
    case getCallerIdentity = "GetCallerIdentity"
    case assumeRole = "AssumeRole"
    case assumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity"
    case getSessionToken = "GetSessionToken"

    public var safety: RepeatSafety { .idempotent }
}

/// AWS Security Token Service (query protocol, version 2011-06-15).
public struct STSClient: Sendable {
    let query: QueryProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        query = QueryProtocol(client: client, endpoint: endpoint, service: .sts, version: "2011-06-15")
    }

    /// The unsigned `GetCallerIdentity` request, for callers that read the raw answer
    /// (`doctor` compares its `Date` header with the local clock).
    public var getCallerIdentityRequest: HTTPRequest { query.request(STSOperation.getCallerIdentity) }

    /// `GetCallerIdentity` needs no permission: it works for any valid credentials.
    public func getCallerIdentity() throws(AWSError) -> CallerIdentity {
        let result = try query.call(STSOperation.getCallerIdentity)
        guard let account = result["Account"], let arn = result["Arn"], let userId = result["UserId"] else {
            throw .invalidResponse(operation: "sts:GetCallerIdentity", detail: "Account, Arn or UserId missing")
        }
        return CallerIdentity(account: account, arn: arn, userId: userId)
    }

    public func assumeRole(_ request: AssumeRoleRequest) throws(AWSError) -> AssumedRole {
        var parameters = [("RoleArn", request.roleArn), ("RoleSessionName", request.sessionName)]
        if let v = request.externalId { parameters.append(("ExternalId", v)) }
        if let v = request.durationSeconds { parameters.append(("DurationSeconds", String(v))) }
        if let v = request.mfaSerial { parameters.append(("SerialNumber", v)) }
        if let v = request.mfaCode { parameters.append(("TokenCode", v)) }
        return try Self.assumedRole(from: query.call(STSOperation.assumeRole, parameters), operation: "sts:AssumeRole")
    }

    /// `GetSessionToken` with the client's long-term key; `mfaSerial` and `mfaCode` go together.
    public func getSessionToken(durationSeconds: Int? = nil, mfaSerial: String? = nil, mfaCode: String? = nil) throws(AWSError) -> SessionToken {
        var parameters: [(String, String)] = []
        if let v = durationSeconds { parameters.append(("DurationSeconds", String(v))) }
        if let v = mfaSerial { parameters.append(("SerialNumber", v)) }
        if let v = mfaCode { parameters.append(("TokenCode", v)) }
        let answer = try Self.temporaryCredentials(from: query.call(STSOperation.getSessionToken, parameters), operation: "sts:GetSessionToken")
        return SessionToken(credentials: answer.credentials, expiration: answer.expiration)
    }

    /// An unsigned call: the client should carry no credentials.
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String,
                                          durationSeconds: Int? = nil) throws(AWSError) -> AssumedRole {
        var parameters = [("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let v = durationSeconds { parameters.append(("DurationSeconds", String(v))) }
        return try Self.assumedRole(from: query.call(STSOperation.assumeRoleWithWebIdentity, parameters),
                                    operation: "sts:AssumeRoleWithWebIdentity")
    }

    static func assumedRoleArn(_ result: XMLElement, operation: String) throws(AWSError) -> String {
        guard let arn = result.child("AssumedRoleUser")?["Arn"] else {
            throw .invalidResponse(operation: operation, detail: "AssumedRoleUser missing")
        }
        return arn
    }

    /// The `Credentials` element of an answer: keys, token and expiry.
    static func temporaryCredentials(from result: XMLElement, operation: String) throws(AWSError) -> (credentials: SigningCredentials, expiration: Int) {
        guard let c = result.child("Credentials"), let id = c["AccessKeyId"], let secret = c["SecretAccessKey"],
              let token = c["SessionToken"], let expirationText = c["Expiration"] else {
            throw .invalidResponse(operation: operation, detail: "Credentials missing")
        }
        guard let expiration = Timestamp.parse(expirationText) else {
            throw .invalidResponse(operation: operation, detail: "Expiration is not a timestamp")
        }
        return (SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token), expiration)
    }

    static func assumedRole(from result: XMLElement, operation: String) throws(AWSError) -> AssumedRole {
        let temporary = try temporaryCredentials(from: result, operation: operation)
        return AssumedRole(credentials: temporary.credentials, expiration: temporary.expiration,
                           assumedRoleArn: try assumedRoleArn(result, operation: operation))
    }
}
