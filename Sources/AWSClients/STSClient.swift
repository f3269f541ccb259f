import AWSCore

/// The account, ARN and user id behind a set of credentials.
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userId: String
}

/// AWS Security Token Service (query protocol, version 2011-06-15).
public struct STSClient: Sendable {
    let query: QueryProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        query = QueryProtocol(client: client, endpoint: endpoint, service: .sts, version: "2011-06-15")
    }

    /// `GetCallerIdentity` needs no permission: it works for any valid credentials.
    public func getCallerIdentity() throws(AWSError) -> CallerIdentity {
        let result = try query.call("GetCallerIdentity")
        guard let account = result["Account"], let arn = result["Arn"], let userId = result["UserId"] else {
            throw .invalidResponse(operation: "sts:GetCallerIdentity", detail: "Account, Arn or UserId missing")
        }
        return CallerIdentity(account: account, arn: arn, userId: userId)
    }
}
