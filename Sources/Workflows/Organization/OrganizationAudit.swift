import AWSClients
import AWSCore
import Synchronization

/// What `keys audit --org` is asked to do.
public struct OrganizationAuditOptions: Sendable {
    public static let defaultRoleName = "OrganizationAccountAccessRole"
    public static let defaultSessionName = "credctl-org-audit"

    /// The role assumed in each member account (a name, with its path if it has one).
    public var roleName: String
    public var externalId: String?
    public var sessionName: String
    /// Only these accounts (in this order); nil: every account of the organisation.
    public var accountIds: [String]?
    /// Calls in flight at once, across accounts and users.
    public var concurrency: Int
    public var limits: AuditLimits

    public init(roleName: String = defaultRoleName, externalId: String? = nil, sessionName: String = defaultSessionName,
                accountIds: [String]? = nil, concurrency: Int = 8, limits: AuditLimits) {
        self.roleName = roleName
        self.externalId = externalId
        self.sessionName = sessionName
        self.accountIds = accountIds
        self.concurrency = concurrency
        self.limits = limits
    }
}

/// One account's part of an organisation audit.
public struct AccountAuditResult: Sendable {
    public enum Status: String, Sendable {
        /// Every user's keys were read.
        case audited = "Audited"
        /// Entered, but some users' keys could not be read (`error` says why); the rest are judged.
        case incomplete = "Incomplete"
        /// Not entered, or its users could not be listed.
        case failed = "Failed"
        /// Not active (suspended or closing): not entered.
        case skipped = "Skipped"
    }

    public var account: OrganizationAccount
    public var status: Status
    /// `caller credentials`, or the ARN of the role assumed.
    public var enteredAs: String?
    public var method: KeyReadMethod?
    /// Why the credential report was not used.
    public var fallbackReason: String?
    public var reportGenerated: Int?
    public var error: String?
    public var usersChecked = 0
    public var records: [AccessKeyRecord] = []
    public var findings: [AccessKeyFinding] = []

    /// Audited, even if only in part.
    public var wasAudited: Bool { status == .audited || status == .incomplete }
}

public struct OrganizationAuditReport: Sendable {
    public var accounts: [AccountAuditResult]
    /// The account whose credentials ran the audit.
    public var callerAccount: String

    public var usersChecked: Int { accounts.reduce(0) { $0 + $1.usersChecked } }
    public var findingCount: Int { accounts.reduce(0) { $0 + $1.findings.count } }
    public var keyCount: Int { accounts.reduce(0) { $0 + $1.records.count } }
    public func count(_ status: AccountAuditResult.Status) -> Int { accounts.filter { $0.status == status }.count }
}

/// Audits the access keys of every account of an AWS Organization: lists the accounts, enters
/// each active one by assuming a role (the caller's own account with its own credentials), and
/// judges every user's keys as `keys audit --all-users` does. Two phases, each with at most
/// `concurrency` calls in flight: every account is entered and its users listed; then every
/// user of every account is read. An account that fails is reported and the others go on.
public struct OrganizationAudit: Sendable {
    public let client: AWSClient
    public let organizations: ResolvedEndpoint
    public let sts: ResolvedEndpoint
    public let iam: ResolvedEndpoint

    /// `client` signs with the caller's credentials; every account's client is made from it
    /// (`with(credentials:)`), so all share one retry quota and, in adaptive mode, one rate limiter per service.
    public init(client: AWSClient, organizations: ResolvedEndpoint, sts: ResolvedEndpoint, iam: ResolvedEndpoint) {
        self.client = client
        self.organizations = organizations
        self.sts = sts
        self.iam = iam
    }

    public func run(_ options: OrganizationAuditOptions, now: Int,
                    progress: @escaping @Sendable (OrganizationAuditProgress) -> Void = { _ in }) throws(AWSError) -> OrganizationAuditReport {
        let stsClient = STSClient(client: client, endpoint: sts)
        let caller = try stsClient.getCallerIdentity()
        let listed = try OrganizationsClient(client: client, endpoint: organizations).allAccounts()
        var results = Self.select(listed, ids: options.accountIds)
        let toEnter = results.indices.filter { results[$0].status != .failed && results[$0].status != .skipped }
        let tracker = ProgressTracker(accounts: toEnter.count, report: progress)

        // Phase 1: enter each account and list its users.
        let partition = IdentityARN.partition(caller.arn)
        let entered = ConcurrentWork.map(toEnter.map { results[$0].account }, width: options.concurrency) { [self] account -> EnteredAccount in
            let outcome = enter(account, callerAccount: caller.account, partition: partition, options: options, sts: stsClient)
            switch outcome.users {
            case .failure: tracker.accountEntered(users: 0)
            case .success(let users): tracker.accountEntered(users: users.users.count)
            }
            return outcome
        }
        tracker.allAccountsEntered()

        // Phase 2: every user of every entered account.
        var work: [(slot: Int, user: String)] = []
        for (slot, outcome) in entered.enumerated() {
            if case .success(let users) = outcome.users { work += users.users.map { (slot, $0) } }
        }
        let remaining = Mutex(entered.map { outcome -> Int in
            if case .success(let users) = outcome.users { return users.users.count }
            return 0
        })
        let read = ConcurrentWork.map(work, width: options.concurrency) { item -> Result<[AccessKeyRecord], AWSError> in
            guard case .success(let users) = entered[item.slot].users, let reader = entered[item.slot].reader else { return .success([]) }
            let result = Result { () throws(AWSError) in try reader.records(of: item.user, in: users) }
            let accountDone = remaining.withLock { r -> Bool in r[item.slot] -= 1; return r[item.slot] == 0 }
            tracker.userChecked(accountDone: accountDone)
            return result
        }

        // Results, per account.
        var readBySlot = [[Result<[AccessKeyRecord], AWSError>]](repeating: [], count: entered.count)
        for (item, result) in zip(work, read) { readBySlot[item.slot].append(result) }
        for (slot, index) in toEnter.enumerated() {
            let outcome = entered[slot]
            results[index].enteredAs = outcome.enteredAs
            switch outcome.users {
            case .failure(let error):
                results[index].status = .failed
                results[index].error = error.description
            case .success(let users):
                results[index].method = users.method
                results[index].fallbackReason = users.fallbackReason
                results[index].reportGenerated = users.reportGenerated
                results[index].usersChecked = users.users.count
                let failures = readBySlot[slot].compactMap { r -> AWSError? in if case .failure(let e) = r { return e } else { return nil } }
                results[index].records = readBySlot[slot].flatMap { (try? $0.get()) ?? [] }
                    .sorted { ($0.user, $0.key.created ?? 0, $0.key.id) < ($1.user, $1.key.created ?? 0, $1.key.id) }
                results[index].findings = AccessKeyAudit.findings(results[index].records, limits: options.limits, now: now)
                if let first = failures.first {
                    results[index].status = .incomplete
                    results[index].usersChecked -= failures.count
                    results[index].error = "\(failures.count) of \(users.users.count) users could not be read: \(first)"
                } else {
                    results[index].status = .audited
                }
            }
        }
        return OrganizationAuditReport(accounts: results, callerAccount: caller.account)
    }

    /// The accounts to audit, in the organisation's order or the order asked; inactive ones
    /// skipped, ids the organisation does not list failed.
    static func select(_ listed: [OrganizationAccount], ids: [String]?) -> [AccountAuditResult] {
        let chosen: [(OrganizationAccount, Bool)]
        if let ids {
            chosen = ids.map { id in listed.first { $0.id == id }.map { ($0, true) } ?? (OrganizationAccount(id: id, name: "", status: ""), false) }
        } else {
            chosen = listed.map { ($0, true) }
        }
        return chosen.map { account, known in
            if !known {
                return AccountAuditResult(account: account, status: .failed, error: "not an account of this organisation (ListAccounts does not list it)")
            }
            if !account.isActive {
                return AccountAuditResult(account: account, status: .skipped, error: "account is \(account.status.isEmpty ? "not active" : account.status)")
            }
            return AccountAuditResult(account: account, status: .audited)
        }
    }

    struct EnteredAccount: Sendable {
        var enteredAs: String?
        var reader: AccountKeyReader?
        var users: Result<AccountUsers, AWSError>
    }

    /// The caller's own account with its own credentials; any other by assuming the role.
    func enter(_ account: OrganizationAccount, callerAccount: String, partition: String,
               options: OrganizationAuditOptions, sts: STSClient) -> EnteredAccount {
        var enteredAs: String?
        do throws(AWSError) {
            let accountClient: AWSClient
            if account.id == callerAccount {
                enteredAs = "caller credentials"
                accountClient = client
            } else {
                let roleArn = "arn:\(partition):iam::\(account.id):role/\(options.roleName)"
                enteredAs = roleArn
                let role = try sts.assumeRole(AssumeRoleRequest(roleArn: roleArn, sessionName: options.sessionName, externalId: options.externalId))
                accountClient = client.signing(with: role.credentials)
            }
            let reader = AccountKeyReader(iam: IAMClient(client: accountClient, endpoint: iam))
            return EnteredAccount(enteredAs: enteredAs, reader: reader, users: .success(try reader.users()))
        } catch {
            return EnteredAccount(enteredAs: enteredAs, reader: nil, users: .failure(error))
        }
    }
}
