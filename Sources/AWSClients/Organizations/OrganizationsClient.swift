import AWSCore

/// One member account as `ListAccounts` describes it.
public struct OrganizationAccount: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arn: String?
    public var email: String?
    /// `ACTIVE`, `SUSPENDED` or `PENDING_CLOSURE`.
    public var status: String
    /// Seconds since 1970.
    public var joined: Int?

    public init(id: String, name: String, arn: String? = nil, email: String? = nil, status: String, joined: Int? = nil) {
        self.id = id
        self.name = name
        self.arn = arn
        self.email = email
        self.status = status
        self.joined = joined
    }

    public var isActive: Bool { status == "ACTIVE" }
}

/// The Organizations operations credctl calls; all read.
public enum OrganizationsOperation: String, ServiceOperation, CaseIterable {
    case listAccounts = "ListAccounts"

    public var safety: RepeatSafety { .idempotent }
}

/// AWS Organizations (JSON 1.1, target prefix `AWSOrganizationsV20161128`), called in the
/// management account (or a delegated administrator).
public struct OrganizationsClient: Sendable {
    let json: JSONProtocol

    /// The most `ListAccounts` returns in one page.
    public static let accountsPerPage = 20

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .organizations,
                            targetPrefix: "AWSOrganizationsV20161128", jsonVersion: "1.1")
    }

    public func listAccounts(nextToken: String? = nil) throws(AWSError) -> Page<OrganizationAccount> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(Self.accountsPerPage))]
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call(OrganizationsOperation.listAccounts, .object(input))
        guard let accounts = result["Accounts"]?.arrayValue else {
            throw .invalidResponse(operation: "organizations:ListAccounts", detail: "Accounts missing")
        }
        var items: [OrganizationAccount] = []
        for v in accounts { items.append(try Self.account(v)) }
        return Page(items: items, nextToken: result["NextToken"]?.stringValue)
    }

    /// Every account of the organisation, following `NextToken` through short and empty pages.
    public func allAccounts() throws(AWSError) -> [OrganizationAccount] {
        try Paginator.all(operation: "organizations:ListAccounts") { token throws(AWSError) in try listAccounts(nextToken: token) }
    }

    /// An account as listed: `State` (the current member) where the service sends it, else the
    /// older `Status`; an account with neither, or without an id, is an unreadable answer.
    static func account(_ v: JSONValue) throws(AWSError) -> OrganizationAccount {
        guard let id = v["Id"]?.stringValue, let status = v["State"]?.stringValue ?? v["Status"]?.stringValue else {
            throw .invalidResponse(operation: "organizations:ListAccounts", detail: "an account without Id or State")
        }
        return OrganizationAccount(id: id, name: v["Name"]?.stringValue ?? "", arn: v["Arn"]?.stringValue,
                                   email: v["Email"]?.stringValue, status: status,
                                   joined: JSONDate.seconds(v["JoinedTimestamp"]))
    }
}
