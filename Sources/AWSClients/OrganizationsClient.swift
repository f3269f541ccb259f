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
        let result = try json.call("ListAccounts", .object(input))
        return Page(items: (result["Accounts"]?.arrayValue ?? []).compactMap(Self.account), nextToken: result["NextToken"]?.stringValue)
    }

    /// Every account of the organisation, following `NextToken` through short and empty pages.
    public func allAccounts() throws(AWSError) -> [OrganizationAccount] {
        var all: [OrganizationAccount] = []
        var token: String?
        repeat {
            let page = try listAccounts(nextToken: token)
            all += page.items
            token = page.nextToken
        } while token != nil
        return all
    }

    static func account(_ v: JSONValue) -> OrganizationAccount? {
        guard let id = v["Id"]?.stringValue else { return nil }
        return OrganizationAccount(id: id, name: v["Name"]?.stringValue ?? "", arn: v["Arn"]?.stringValue,
                                   email: v["Email"]?.stringValue, status: v["Status"]?.stringValue ?? "",
                                   joined: JSONDate.seconds(v["JoinedTimestamp"]))
    }
}
