import AWSCore
import SigV4

/// The role credentials `GetRoleCredentials` hands out.
public struct SSORoleCredentials: Sendable, CustomStringConvertible {
    public var credentials: SigningCredentials
    /// Seconds since 1970 (the service answers in milliseconds).
    public var expiration: Int

    public var description: String { "SSORoleCredentials(\(credentials), expires \(Timestamp.format(expiration)))" }
}

/// One account of `ListAccounts`.
public struct SSOAccount: Sendable, Equatable {
    public var accountId: String
    public var accountName: String
    public var emailAddress: String?

    public init(accountId: String, accountName: String, emailAddress: String? = nil) {
        self.accountId = accountId
        self.accountName = accountName
        self.emailAddress = emailAddress
    }
}

/// The SSO portal operations credctl calls; all are safe to repeat (a second Logout of a token
/// already signed out is refused, which `SSOLogout` counts as done).
public enum SSOOperation: String, ServiceOperation, CaseIterable {
    case getRoleCredentials = "GetRoleCredentials"
    case listAccounts = "ListAccounts"
    case listAccountRoles = "ListAccountRoles"
    case logout = "Logout"

    public var safety: RepeatSafety { .idempotent }
}

/// IAM Identity Center's portal (model `sso` 2019-06-10, REST-JSON): what a signed-in user may
/// reach, and credentials for it. Every call carries the SSO access token in the
/// `x-amz-sso_bearer_token` header; nothing is signed. The token never appears in an error.
public struct SSOClient: Sendable {
    let rest: RESTJSONProtocol

    /// `client` must carry no credentials.
    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        rest = RESTJSONProtocol(client: client, endpoint: endpoint, service: .sso)
    }

    public var endpoint: ResolvedEndpoint { rest.endpoint }

    static func bearer(_ token: String) -> [(name: String, value: String)] { [(name: "x-amz-sso_bearer_token", value: token)] }

    /// `GET /federation/credentials?role_name=R&account_id=A`.
    public func getRoleCredentials(accessToken: String, accountId: String, roleName: String) throws(AWSError) -> SSORoleCredentials {
        let operation = "awsssoportal:GetRoleCredentials"
        let result = try rest.call(SSOOperation.getRoleCredentials, method: "GET", path: "/federation/credentials",
                                   query: [("role_name", roleName), ("account_id", accountId)], headers: Self.bearer(accessToken))
        guard let c = result["roleCredentials"], let id = c["accessKeyId"]?.stringValue, !id.isEmpty,
              let secret = c["secretAccessKey"]?.stringValue, !secret.isEmpty,
              let token = c["sessionToken"]?.stringValue, !token.isEmpty else {
            throw .invalidResponse(operation: operation, detail: "roleCredentials with accessKeyId, secretAccessKey and sessionToken missing")
        }
        guard let expiration = c["expiration"]?.doubleValue.flatMap({ Timestamp.seconds(fromNumber: $0, scale: 1000) }) else {
            throw .invalidResponse(operation: operation, detail: "roleCredentials.expiration missing or not a time in milliseconds")
        }
        return SSORoleCredentials(credentials: SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token),
                                  expiration: expiration)
    }

    /// One page of `GET /assignment/accounts`.
    public func listAccounts(accessToken: String, nextToken: String? = nil) throws(AWSError) -> Page<SSOAccount> {
        var query: [(String, String)] = []
        if let nextToken { query.append(("next_token", nextToken)) }
        let result = try rest.call(SSOOperation.listAccounts, method: "GET", path: "/assignment/accounts", query: query, headers: Self.bearer(accessToken))
        let accounts = try (result["accountList"]?.arrayValue ?? []).map { a throws(AWSError) -> SSOAccount in
            guard let id = a["accountId"]?.stringValue else {
                throw .invalidResponse(operation: "awsssoportal:ListAccounts", detail: "an account without its accountId")
            }
            return SSOAccount(accountId: id, accountName: a["accountName"]?.stringValue ?? "", emailAddress: a["emailAddress"]?.stringValue)
        }
        return Page(items: accounts, nextToken: Self.next(result))
    }

    /// One page of `GET /assignment/roles?account_id=A`: role names.
    public func listAccountRoles(accessToken: String, accountId: String, nextToken: String? = nil) throws(AWSError) -> Page<String> {
        var query = [("account_id", accountId)]
        if let nextToken { query.append(("next_token", nextToken)) }
        let result = try rest.call(SSOOperation.listAccountRoles, method: "GET", path: "/assignment/roles", query: query, headers: Self.bearer(accessToken))
        let roles = try (result["roleList"]?.arrayValue ?? []).map { r throws(AWSError) -> String in
            guard let name = r["roleName"]?.stringValue else {
                throw .invalidResponse(operation: "awsssoportal:ListAccountRoles", detail: "a role without its roleName")
            }
            return name
        }
        return Page(items: roles, nextToken: Self.next(result))
    }

    /// Every account, following `nextToken` to the last page.
    public func allAccounts(accessToken: String) throws(AWSError) -> [SSOAccount] {
        var all: [SSOAccount] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try listAccounts(accessToken: accessToken, nextToken: token)
            all += page.items
            token = try Self.following(page.nextToken, seen: &seen, operation: "awsssoportal:ListAccounts")
        } while token != nil
        return all
    }

    /// Every role of `accountId`, following `nextToken` to the last page.
    public func allAccountRoles(accessToken: String, accountId: String) throws(AWSError) -> [String] {
        var all: [String] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try listAccountRoles(accessToken: accessToken, accountId: accountId, nextToken: token)
            all += page.items
            token = try Self.following(page.nextToken, seen: &seen, operation: "awsssoportal:ListAccountRoles")
        } while token != nil
        return all
    }

    /// `POST /logout`: the service forgets the token (and the role sessions it opened).
    public func logout(accessToken: String) throws(AWSError) {
        _ = try rest.call(SSOOperation.logout, method: "POST", path: "/logout", headers: Self.bearer(accessToken))
    }

    /// The next page's token; a token seen before would page forever, so it is an error.
    static func following(_ token: String?, seen: inout Set<String>, operation: String) throws(AWSError) -> String? {
        guard let token else { return nil }
        guard seen.insert(token).inserted else { throw .invalidResponse(operation: operation, detail: "the same nextToken twice") }
        return token
    }

    /// A next token, unless absent or empty (an empty one would loop forever).
    static func next(_ result: JSONValue) -> String? {
        guard let t = result["nextToken"]?.stringValue, !t.isEmpty else { return nil }
        return t
    }
}
