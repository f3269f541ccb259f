import AWSClients
import AWSCore
import AWSCredentials

/// One account the signed-in user can reach, with the roles they may take in it.
public struct SSOAccountRoles: Sendable, Equatable {
    public var account: SSOAccount
    public var roles: [String]
}

/// `credctl sso accounts`: every account of `ListAccounts` and every role of
/// `ListAccountRoles`, each listing followed to its last page; the roles of several accounts
/// are listed at once (8 at a time). Accounts sorted by name then id, roles by name.
public enum SSOAccounts {
    public static let concurrentAccounts = 8

    public struct Report: Sendable {
        public var session: SSOSession
        public var accounts: [SSOAccountRoles]
        public var tokenExpiresAt: Int
        public var tokenRefreshed: Bool
    }

    public static func run(_ target: SSOTarget) throws(AWSError) -> Report {
        let token = try target.accessToken()
        let accounts = try list(target, accessToken: token.token)
        return Report(session: target.session, accounts: accounts, tokenExpiresAt: token.expiresAt, tokenRefreshed: token.refreshed)
    }

    public static func list(_ target: SSOTarget, accessToken: String) throws(AWSError) -> [SSOAccountRoles] {
        let portal = try target.portal()
        let accounts: [SSOAccount]
        do { accounts = try portal.allAccounts(accessToken: accessToken) } catch { throw target.explain(error) }
        let sorted = accounts.sorted { ($0.accountName, $0.accountId) < ($1.accountName, $1.accountId) }
        let roles = ConcurrentWork.map(sorted, width: concurrentAccounts) { account -> Result<[String], AWSError> in
            do throws(AWSError) { return .success(try portal.allAccountRoles(accessToken: accessToken, accountId: account.accountId).sorted()) } catch {
                return .failure(error)
            }
        }
        var out: [SSOAccountRoles] = []
        for (account, result) in zip(sorted, roles) {
            switch result {
            case .success(let names): out.append(SSOAccountRoles(account: account, roles: names))
            case .failure(let error): throw target.explain(error)
            }
        }
        return out
    }
}
