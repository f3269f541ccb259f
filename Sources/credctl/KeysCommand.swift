import ArgumentParser
import AWSClients
import AWSCore
import Workflows

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, audit and validate IAM access keys; inspect a key id offline.",
        discussion: "See docs/rotation.md.",
        subcommands: [KeysListCommand.self, KeysAuditCommand.self, KeysValidateCommand.self, KeysInspectCommand.self]
    )
}

/// A length of time given as `90d`, `36h`, `45m` or a number of days.
struct AgeLimit: ExpressibleByArgument, Sendable {
    var seconds: Int

    init?(argument: String) {
        let units: [Character: Int] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var text = Substring(argument.lowercased())
        var unit = 86_400
        if let last = text.last, let u = units[last] { unit = u; text = text.dropLast() }
        guard let n = Int(text), n >= 0 else { return nil }
        seconds = n * unit
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// The IAM user a keys command means: `--user`, else the caller's own user.
func keysUser(_ flag: String?, session: AWSSession, client: AWSClient) throws -> String {
    if let flag { return flag }
    let identity = try STSClient(client: client, endpoint: session.endpoint(.sts)).getCallerIdentity()
    guard let user = IdentityARN.userName(identity.arn) else {
        throw CommandInputError("these credentials are not an IAM user's (\(identity.arn)); give --user NAME")
    }
    return user
}

func days(_ seconds: Int?) -> String { seconds.map { "\($0 / 86_400)d" } ?? "-" }

func keyRows(_ records: [AccessKeyRecord], now: Int) -> RowsOutput {
    RowsOutput(
        columns: ["USER", "KEY ID", "STATUS", "CREATED", "AGE", "LAST USED", "SERVICE", "REGION"],
        rows: records.map { r in
            [r.user, r.key.id, r.key.status.rawValue, r.key.created.map(Timestamp.format) ?? "-", days(r.key.created.map { now - $0 }),
             r.lastUse.date.map(Timestamp.format) ?? "never", r.lastUse.service ?? "-", r.lastUse.region ?? "-"]
        },
        json: .array(records.map { keyJSON($0, now: now) }))
}

func keyJSON(_ r: AccessKeyRecord, now: Int) -> JSONValue {
    .object([
        ("UserName", .string(r.user)), ("AccessKeyId", .string(r.key.id)), ("Status", .string(r.key.status.rawValue)),
        ("CreateDate", .optional(r.key.created.map(Timestamp.format))),
        ("AgeDays", r.ageDays(now: now).map { .number($0) } ?? .null),
        ("LastUsedDate", .optional(r.lastUse.date.map(Timestamp.format))),
        ("LastUsedService", .optional(r.lastUse.service)), ("LastUsedRegion", .optional(r.lastUse.region)),
    ])
}

struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "A user's access keys: id, status, age, last used (date, service, region).",
        discussion: "Needs iam:ListAccessKeys and iam:GetAccessKeyLastUsed.\n\n\(ExitStatus.helpText)"
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user (default: the user the credentials belong to).")
    var user: String?

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let endpoint = try session.endpoint(.iam)
            let client = session.client(credentials: try session.resolveCredentials().credentials)
            let name = try keysUser(user, session: session, client: client)
            let records = try AccessKeyAudit(iam: IAMClient(client: client, endpoint: endpoint)).records(users: [name])
            StandardStream.output.write(keyRows(records, now: WallClock.now()).render(global.output))
        }
    }
}

struct KeysAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Find active keys that are too old or unused; exit 1 when there are any (for CI).",
        discussion: """
            credctl keys audit --all-users --max-age 90d --unused 30d --output json
            credctl keys audit --org --max-age 90d --unused 30d --output csv > keys.csv

            --org audits every account of the organisation (see docs/rotation.md).
            A key never used counts as unused from the day it was created. Inactive keys are
            listed but never findings. Ages: 90d, 36h, or a number of days.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The IAM user (default: the user the credentials belong to).")
    var user: String?

    @Flag(name: .customLong("all-users"), help: "Every IAM user of the account (needs iam:ListUsers).")
    var allUsers = false

    @Option(name: .customLong("max-age"), help: "Active keys older than this are findings (default 90d).")
    var maxAge: AgeLimit = AgeLimit(argument: "90d")!

    @Option(help: "Active keys not used for this long are findings (default: not checked).")
    var unused: AgeLimit?

    @OptionGroup var org: OrgAuditOptions

    func validate() throws {
        if allUsers, user != nil { throw ValidationError("give --user or --all-users, not both") }
        if org.org, allUsers || user != nil { throw ValidationError("--org audits every user of every account: leave out --user and --all-users") }
    }

    func run() throws {
        let limits = AuditLimits(maxAge: maxAge.seconds, unused: unused?.seconds)
        if org.org { return try org.run(global: global, limits: limits) }
        try reportingErrors {
            let session = try global.session()
            let endpoint = try session.endpoint(.iam)
            let client = session.client(credentials: try session.resolveCredentials().credentials)
            let iam = IAMClient(client: client, endpoint: endpoint)
            let users = allUsers ? try iam.listUsers().map(\.name) : [try keysUser(user, session: session, client: client)]
            let now = WallClock.now()
            let records = try AccessKeyAudit(iam: iam).records(users: users)
            let findings = AccessKeyAudit.findings(records, limits: limits, now: now)
            if global.output == .json {
                let json: JSONValue = .object([
                    ("Findings", .array(findings.map { f in
                        .object([("UserName", .string(f.user)), ("AccessKeyId", .string(f.keyId)),
                                 ("Finding", .string(f.kind.rawValue)), ("Detail", .string(f.detail))])
                    })),
                    ("Keys", .array(records.map { keyJSON($0, now: now) })),
                    ("UsersChecked", .number(users.count)),
                ])
                StandardStream.output.write(json.serialized(pretty: true) + "\n")
            } else if findings.isEmpty {
                StandardStream.output.write("ok: \(records.count) key\(records.count == 1 ? "" : "s") of \(users.count) user\(users.count == 1 ? "" : "s") checked, no findings\n")
            } else {
                StandardStream.output.write(RowsOutput(
                    columns: ["USER", "KEY ID", "FINDING", "DETAIL"],
                    rows: findings.map { [$0.user, $0.keyId, $0.kind.rawValue, $0.detail] }, json: .null).render(global.output))
            }
            if !findings.isEmpty { throw ExitCode(ExitStatus.checkFailed.rawValue) }
        }
    }
}

struct KeysValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "A CI gate: the resolved (or --key-id) key is well-formed, long-term if required, works, active and young enough.",
        discussion: """
            credctl keys validate --require long-term --max-age 90d

            Prints one line saying why it passed or failed. Exit 0 pass, 1 fail, 3 no credentials
            or credentials AWS refuses. --key-id checks a key by its id alone (looked up with the
            resolved credentials: status and age, not a call with the key itself).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "'long-term' requires an AKIA key of an IAM user.")
    var require: Requirement?

    @Option(name: .customLong("max-age"), help: "Fail when the key is older than this (90d, 36h, or days).")
    var maxAge: AgeLimit?

    @Option(name: .customLong("key-id"), help: "Check this key id instead of the resolved credentials' key.")
    var keyId: String?

    enum Requirement: String, ExpressibleByArgument { case longTerm = "long-term" }

    func run() throws {
        try reportingErrors {
            let session = try global.session()
            let verdict = try KeyValidation(session: session, options: KeyValidation.Options(
                requireLongTerm: require == .longTerm, maxAge: maxAge?.seconds, keyId: keyId)).run()
            if global.output == .json {
                let json: JSONValue = .object([
                    ("Result", .string(verdict.status.rawValue)), ("AccessKeyId", .optional(verdict.keyId)),
                    ("Reason", .string(verdict.reason)),
                    ("Checks", .array(verdict.checks.map { .object([("Check", .string($0.name)), ("Passed", .bool($0.passed)), ("Detail", .string($0.detail))]) })),
                ])
                StandardStream.output.write(json.serialized(pretty: true) + "\n")
            } else {
                StandardStream.output.write("\(verdict.status == .pass ? "ok" : "FAIL"): \(verdict.reason)\n")
            }
            switch verdict.status {
            case .pass: return
            case .fail: throw ExitCode(ExitStatus.checkFailed.rawValue)
            case .credentials: throw ExitCode(ExitStatus.credentials.rawValue)
            }
        }
    }
}

struct KeysInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Offline: what a key id's prefix means and the account id encoded in it.",
        discussion: """
            credctl keys inspect ASIAY34FZKBOKMUTVV7A

            No call is made. Key ids made since about 2019 (fifth character Q–Z or 2–7) encode
            the account; older ones (AKIAI…, AKIAJ…) do not. `aws sts get-access-key-info` answers
            the same online.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An access key id (AKIA…, ASIA…) or IAM unique id (AIDA…, AROA…).")
    var keyId: String

    func run() throws {
        let i = KeyIdInspection(keyId)
        if let problem = i.problem {
            StandardStream.error.write("credctl: error: \(problem)\n")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let account = i.account ?? "not encoded (an id from before about 2019)"
        StandardStream.output.write(RecordOutput(
            fields: [("id", "Id", i.id), ("prefix", "Prefix", i.prefix), ("kind", "Kind", i.kind), ("account", "Account", account)],
            json: .object([("Id", .string(i.id)), ("Prefix", .string(i.prefix)), ("Kind", .optional(i.kind)), ("Account", .optional(i.account))])
        ).render(global.output))
    }
}
