import AWSCore

/// What narrows a template: each template says which it needs and which it takes.
public struct PolicyParameters: Sendable {
    public var resources: [String] = []
    public var tables: [String] = []
    public var path: String?
    public var account: String?
    public var region: String?
    public var externalId: String?
    public var oidcProvider: String?
    public var namespace: String?
    public var serviceAccount: String?
    public var partition = "aws"
    /// The wide forms, asked for by name: every table, every secret.
    public var allTables = false
    public var allSecrets = false

    public init() {}
}

/// credctl's least-privilege IAM policy and trust-policy templates.
public enum PolicyTemplate: String, CaseIterable, Sendable {
    case dynamodbRead = "dynamodb-read"
    case ssmPathRead = "ssm-path-read"
    case ssmPathWrite = "ssm-path-write"
    case secretsWriter = "secrets-writer"
    case rotateOwnKey = "rotate-own-key"
    case rotateUserKeyToSecret = "rotate-user-key-to-secret"
    case rotateUserKeyToSSM = "rotate-user-key-to-ssm"
    case s3SinkWriter = "s3-sink-writer"
    case crossAccountTrust = "cross-account-trust"
    case irsaTrust = "irsa-trust"

    public var summary: String {
        switch self {
        case .dynamodbRead: return "read DynamoDB tables: list, describe, get, query, scan, PartiQL SELECT (--table or --all-tables, --policy-region, --account)"
        case .ssmPathRead: return "read SSM parameters under a path, SecureStrings included (kms:Decrypt through SSM only) (--path, --policy-region, --account)"
        case .ssmPathWrite: return "read and write SSM parameters under a path (--path, --policy-region, --account)"
        case .secretsWriter: return "create and update Secrets Manager secrets under a name prefix, without reading them (--path PREFIX or --all-secrets, --policy-region, --account)"
        case .rotateOwnKey: return "an IAM user manages only its own access keys (what credctl rotate needs) (--account)"
        case .rotateUserKeyToSecret: return "rotate one IAM user's key and write it to one secret (credctl rotate --user U --to secretsmanager:NAME) (--resource USER, --path SECRET_NAME, --policy-region, --account)"
        case .rotateUserKeyToSSM: return "rotate one IAM user's key and write it under one path (credctl rotate --user U --to ssm:/PATH) (--resource USER, --path, --policy-region, --account)"
        case .s3SinkWriter: return "write objects under a prefix of one bucket, nothing else (--resource BUCKET, --path PREFIX)"
        case .crossAccountTrust: return "trust policy: a role another account may assume only with an external id (--account, --external-id)"
        case .irsaTrust: return "trust policy: a role one Kubernetes service account assumes through EKS IRSA (--oidc-provider, --namespace, --service-account, --account)"
        }
    }

    /// Trust policies belong on roles, not users.
    public var isTrustPolicy: Bool { self == .crossAccountTrust || self == .irsaTrust }

    /// The scope every template shares: an account id is 12 digits, a region a region name.
    static func checkScope(_ p: PolicyParameters) throws(ConfigurationError) {
        if let account = p.account, !isAccountId(account) {
            throw ConfigurationError("--account '\(PrintableText.escaped(account))' is not an account id: 12 digits, such as 123456789012")
        }
        if let region = p.region, !EndpointResolver.isValidRegion(region) {
            throw ConfigurationError("--policy-region '\(PrintableText.escaped(region))' is not a region name such as eu-west-1")
        }
        for table in p.tables where !isTableName(table) {
            throw ConfigurationError("--table '\(PrintableText.escaped(table))' is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')")
        }
    }

    public func document(_ p: PolicyParameters) throws(ConfigurationError) -> JSONValue {
        try Self.checkScope(p)
        let account = p.account ?? "*"
        let region = p.region ?? "*"
        let arn = "arn:\(p.partition)"
        switch self {
        case .dynamodbRead:
            guard p.tables.isEmpty == p.allTables else {
                throw ConfigurationError(p.allTables ? "give --table or --all-tables, not both"
                                         : "dynamodb-read needs --table NAME (repeatable), or --all-tables for every table")
            }
            let tables = p.allTables ? ["*"] : p.tables
            var resources: [String] = []
            for t in tables {
                resources += ["\(arn):dynamodb:\(region):\(account):table/\(t)", "\(arn):dynamodb:\(region):\(account):table/\(t)/index/*"]
            }
            return Self.policy([
                Self.statement("ListTables", ["dynamodb:ListTables"], ["*"]),
                Self.statement("ReadTables", ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                                              "dynamodb:Scan", "dynamodb:PartiQLSelect", "dynamodb:ConditionCheckItem"], resources),
            ])
        case .ssmPathRead, .ssmPathWrite:
            let path = try Self.ssmPath(p.path)
            let parameters = ["\(arn):ssm:\(region):\(account):parameter\(path)", "\(arn):ssm:\(region):\(account):parameter\(path)/*"]
            var statements = [
                Self.statement("ReadPath", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"], parameters),
                Self.statement("DescribeParameters", ["ssm:DescribeParameters"], ["*"]),
            ]
            var kms = ["kms:Decrypt"]
            if self == .ssmPathWrite {
                statements.append(Self.statement("WritePath", ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                                                               "ssm:AddTagsToResource", "ssm:LabelParameterVersion"], parameters))
                kms += ["kms:Encrypt", "kms:GenerateDataKey"]
            }
            statements.append(Self.statement("SecureStringsThroughSSM", kms, ["\(arn):kms:\(region):\(account):key/*"],
                                             condition: Self.viaService("ssm", region: region)))
            return Self.policy(statements)
        case .secretsWriter:
            guard (p.path == nil) == p.allSecrets else {
                throw ConfigurationError(p.allSecrets ? "give --path or --all-secrets, not both"
                                         : "secrets-writer needs --path PREFIX, the secret-name prefix it may write, or --all-secrets")
            }
            let prefix = p.path ?? ""
            guard p.path?.isEmpty != true, prefix.utf8.allSatisfy(Self.isSecretNameByte) else {
                throw ConfigurationError("--path for secrets-writer is a non-empty name prefix of letters, digits and /_+=.@- (no '*' or '?')")
            }
            return Self.policy([
                Self.statement("WriteSecrets", ["secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret",
                                                "secretsmanager:DescribeSecret", "secretsmanager:TagResource"],
                               ["\(arn):secretsmanager:\(region):\(account):secret:\(prefix)*"]),
                Self.statement("ListSecrets", ["secretsmanager:ListSecrets"], ["*"]),
            ])
        case .rotateOwnKey:
            return Self.policy([
                Self.statement("ManageOwnAccessKeys", ["iam:ListAccessKeys", "iam:CreateAccessKey", "iam:UpdateAccessKey",
                                                       "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:GetUser"],
                               ["\(arn):iam::\(account):user/${aws:username}"]),
            ])
        case .rotateUserKeyToSecret, .rotateUserKeyToSSM:
            return Self.policy(try Self.rotationStatements(self, p, arn: arn, account: account, region: region))
        case .s3SinkWriter:
            guard let bucket = p.resources.first, p.resources.count == 1 else {
                throw ConfigurationError("s3-sink-writer needs --resource BUCKET (one bucket name)")
            }
            guard !bucket.contains("/"), !bucket.contains("*"), !bucket.contains("?"), !bucket.hasPrefix("arn:") else {
                throw ConfigurationError("--resource for s3-sink-writer is a bucket name such as my-logs, not '\(PrintableText.escaped(bucket))'")
            }
            let prefix = p.path.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? ""
            guard !prefix.contains("*"), !prefix.contains("?") else {
                throw ConfigurationError("--path for s3-sink-writer is a key prefix such as logs/, without '*' or '?'")
            }
            return Self.policy([
                Self.statement("WriteObjects", ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                               ["\(arn):s3:::\(bucket)/\(prefix)*"]),
                Self.statement("FindBucket", ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], ["\(arn):s3:::\(bucket)"]),
            ])
        case .crossAccountTrust:
            guard let trusted = p.account, Self.isAccountId(trusted) else {
                throw ConfigurationError("cross-account-trust needs --account, the 12-digit id of the account that may assume the role")
            }
            guard let externalId = p.externalId, (2...1224).contains(externalId.count) else {
                throw ConfigurationError("cross-account-trust needs --external-id (2 to 1224 characters), agreed with the other account")
            }
            return Self.policy([
                .object([("Sid", .string("TrustAccountWithExternalId")), ("Effect", .string("Allow")),
                         ("Principal", .object([("AWS", .string("\(arn):iam::\(trusted):root"))])),
                         ("Action", .string("sts:AssumeRole")),
                         ("Condition", .object([("StringEquals", .object([("sts:ExternalId", .string(externalId))]))]))]),
            ])
        case .irsaTrust:
            guard let provider = p.oidcProvider, let namespace = p.namespace, let serviceAccount = p.serviceAccount else {
                throw ConfigurationError("irsa-trust needs --oidc-provider, --namespace and --service-account")
            }
            guard let owner = p.account, Self.isAccountId(owner) else {
                throw ConfigurationError("irsa-trust needs --account, the 12-digit id of the account that holds the OIDC provider")
            }
            let host = Self.oidcHost(provider)
            guard host.hasPrefix("oidc.eks."), !host.contains(" ") else {
                throw ConfigurationError("--oidc-provider '\(provider)' is not an EKS OIDC issuer (https://oidc.eks.REGION.amazonaws.com/id/ID)")
            }
            return Self.policy([
                .object([("Sid", .string("TrustServiceAccount")), ("Effect", .string("Allow")),
                         ("Principal", .object([("Federated", .string("\(arn):iam::\(owner):oidc-provider/\(host)"))])),
                         ("Action", .string("sts:AssumeRoleWithWebIdentity")),
                         ("Condition", .object([("StringEquals", .object([
                            ("\(host):sub", .string("system:serviceaccount:\(namespace):\(serviceAccount)")),
                            ("\(host):aud", .string("sts.amazonaws.com")),
                         ]))]))]),
            ])
        }
    }

    static func policy(_ statements: [JSONValue]) -> JSONValue {
        .object([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
    }

    static func statement(_ sid: String, _ actions: [String], _ resources: [String], condition: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("Sid", .string(sid)), ("Effect", .string("Allow")),
            ("Action", .array(actions.map { .string($0) })),
            ("Resource", resources.count == 1 ? .string(resources[0]) : .array(resources.map { .string($0) })),
        ]
        if let condition { members.append(("Condition", condition)) }
        return .object(members)
    }

    static func viaService(_ service: String, region: String) -> JSONValue {
        .object([("StringLike", .object([("kms:ViaService", .string("\(service).\(region).amazonaws.com"))]))])
    }

    static func ssmPath(_ path: String?) throws(ConfigurationError) -> String {
        guard let path else {
            throw ConfigurationError("this template needs --path, a parameter path such as /APP/STAGING (it covers the path and everything below it)")
        }
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        // A wildcard ('*', '?') or the root would grant every parameter: Parameter Store's own
        // characters only, and at least one level.
        guard p.hasPrefix("/"), p != "/", !p.contains("//"), p.utf8.allSatisfy(isParameterNameByte) else {
            throw ConfigurationError("--path '\(PrintableText.escaped(String(path.prefix(64))))' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)")
        }
        return p
    }

    static func isParameterNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D || b == 0x2F
    }

    /// Secrets Manager's name characters: letters, digits and `/_+=.@-` (so no IAM wildcard).
    static func isSecretNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || Array("/_+=.@-".utf8).contains(b)
    }

    static func isAccountId(_ s: String) -> Bool { s.utf8.count == 12 && s.utf8.allSatisfy { (0x30...0x39).contains($0) } }

    static func isTableName(_ s: String) -> Bool {
        (3...255).contains(s.utf8.count) && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
    }

    /// `oidc.eks.REGION.amazonaws.com/id/ID` from the issuer URL or the bare host/path.
    static func oidcHost(_ provider: String) -> String {
        var s = Substring(provider)
        if s.hasPrefix("https://") { s = s.dropFirst(8) }
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}
