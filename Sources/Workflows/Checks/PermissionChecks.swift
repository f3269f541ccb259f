import AWSClients
import AWSCore
import AWSCredentials

/// The read-only probes behind `dynamodb check`, `check ssm`, `check secrets` and
/// `check iam-self`: each lists, per IAM action a workflow needs, whether it is allowed.
public struct PermissionChecks: Sendable {
    public let session: AWSSession

    public init(session: AWSSession) {
        self.session = session
    }

    /// A client for `service`: its endpoint first, so that a missing region is reported before
    /// any credential provider runs.
    func client(for service: AWSService) throws(AWSError) -> (AWSClient, ResolvedEndpoint) {
        let endpoint = try session.endpoint(service)
        return (try session.client(), endpoint)
    }

    func credentials() throws(AWSError) -> Credentials {
        try session.resolveCredentials().credentials
    }

    /// `dynamodb check`: ListTables, then for each table DescribeTable, Scan (Limit 1), Query
    /// (on the table's partition key, Limit 1) and a PartiQL `SELECT` (Limit 1).
    public func dynamoDB(tables: [String]) throws(AWSError) -> [ProbeResult] {
        let (client, endpoint) = try client(for: .dynamoDB)
        let db = DynamoDBClient(client: client, endpoint: endpoint)
        let region = endpoint.signingRegion
        // The partition of the region (botocore's data): `aws-cn`, `aws-us-gov`, `aws-eusc`, … have their own ARNs.
        func arn(_ table: String) -> String { "arn:\(Partition.of(region: region).id):dynamodb:\(region):*:table/\(table)" }
        var results = [try PermissionProbe.run("dynamodb:ListTables", resource: "*") { () throws(AWSError) in
            let names = try db.listTables(limit: 100)
            return "\(names.count)\(names.count == 100 ? "+" : "") table\(names.count == 1 ? "" : "s") in \(region)"
        }]
        for table in tables {
            var description: TableDescription?
            results.append(try PermissionProbe.run("dynamodb:DescribeTable", resource: arn(table)) { () throws(AWSError) in
                let d = try db.describeTable(table)
                description = d
                let tableRegion = d.arn.flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(3).first }.map(String.init) ?? region
                return "\(table): \(d.status ?? "status unknown") in \(tableRegion)\(d.partitionKey.map { ", partition key \($0.name) (\($0.type))" } ?? "")"
            })
            var sample: JSONValue?
            results.append(try PermissionProbe.run("dynamodb:Scan", resource: arn(table)) { () throws(AWSError) in
                let page = try db.scan(table, limit: 1)
                sample = page["Items"]?.arrayValue?.first
                return "read \(page["Count"]?.intValue ?? 0) item (limit 1)"
            })
            if let key = description?.partitionKey {
                let value = sample?[key.name] ?? Self.placeholder(type: key.type)
                results.append(try PermissionProbe.run("dynamodb:Query", resource: arn(table)) { () throws(AWSError) in
                    let page = try db.query(table, key: key.name, value: value, limit: 1)
                    return "query on \(key.name) returned \(page["Count"]?.intValue ?? 0) item (limit 1)"
                })
            } else {
                results.append(PermissionProbe.skipped("dynamodb:Query", resource: arn(table), "needs dynamodb:DescribeTable to learn the table's key"))
            }
            results.append(try PermissionProbe.run("dynamodb:PartiQLSelect", resource: arn(table)) { () throws(AWSError) in
                let page = try db.executeStatement("SELECT * FROM \"\(table.replacing("\"", with: "\"\""))\"", limit: 1)
                return "SELECT returned \(page["Items"]?.arrayValue?.count ?? 0) item (limit 1)"
            })
        }
        return results
    }

    /// A key value of the right type that matches nothing in particular.
    static func placeholder(type: String) -> JSONValue {
        switch type {
        case "N": return .object([("N", .string("0"))])
        case "B": return .object([("B", .string("AA=="))])
        default: return .object([("S", .string("credctl-permission-probe"))])
        }
    }

    /// `check ssm --path P`: what `params get`, `get-path`, `export` and `list` need.
    public func parameterStore(path: String) throws(AWSError) -> [ProbeResult] {
        let (client, endpoint) = try client(for: .ssm)
        let ssm = SSMClient(client: client, endpoint: endpoint)
        let region = try session.region?.name ?? "*"
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let resource = "arn:\(Partition.of(region: region).id):ssm:\(region):*:parameter\(trimmed == "/" ? "" : trimmed)/*"
        let probeName = (trimmed == "/" ? "" : trimmed) + "/credctl-permission-probe"
        return [
            try PermissionProbe.run("ssm:GetParametersByPath", resource: resource) { () throws(AWSError) in
                let page = try ssm.getParametersByPath(trimmed, recursive: true)
                return "read \(page.items.count) parameter\(page.items.count == 1 ? "" : "s") on the first page (decrypted)"
            },
            try PermissionProbe.run("ssm:GetParameter", resource: resource, provesAllowed: ["ParameterNotFound"]) { () throws(AWSError) in
                _ = try ssm.getParameter(probeName)
                return "allowed"
            },
            try PermissionProbe.run("ssm:DescribeParameters", resource: "*") { () throws(AWSError) in
                let page = try ssm.describeParameters(path: trimmed, recursive: true, maxResults: 1)
                return "listed \(page.items.count) (limit 1)"
            },
            PermissionProbe.skipped("kms:Decrypt", resource: "the parameters' KMS keys",
                                    "not probed on its own: GetParametersByPath above decrypts SecureStrings, so a denied kms:Decrypt shows there"),
        ]
    }

    /// `check secrets [--id X]`: what `secrets list`, `describe` and `get` need.
    public func secretsManager(id: String?) throws(AWSError) -> [ProbeResult] {
        let (client, endpoint) = try client(for: .secretsManager)
        let secrets = SecretsManagerClient(client: client, endpoint: endpoint)
        let region = try session.region?.name ?? "*"
        var results = [try PermissionProbe.run("secretsmanager:ListSecrets", resource: "*") { () throws(AWSError) in
            "listed \(try secrets.listSecrets(maxResults: 1).count) (limit 1)"
        }]
        guard let id else {
            results.append(PermissionProbe.skipped("secretsmanager:GetSecretValue", resource: "*", "give --id SECRET to probe one secret"))
            return results
        }
        let resource = id.hasPrefix("arn:") ? id : "arn:\(Partition.of(region: region).id):secretsmanager:\(region):*:secret:\(id)-*"
        results.append(try PermissionProbe.run("secretsmanager:DescribeSecret", resource: resource) { () throws(AWSError) in
            return "\(try secrets.describeSecret(id).name) exists"
        })
        results.append(try PermissionProbe.run("secretsmanager:GetSecretValue", resource: resource) { () throws(AWSError) in
            _ = try secrets.getSecretValue(id)
            return "read (value not shown)"
        })
        return results
    }

    /// `check iam-self`: can these credentials rotate their own key? CreateAccessKey cannot be
    /// probed without making a key; Update and Delete are probed on a key id that does not
    /// exist (NoSuchEntity comes only after the permission check).
    public func iamSelf() throws(AWSError) -> [ProbeResult] {
        let caller = try credentials()
        let identity = try session.sts().getCallerIdentity()
        guard let user = IdentityARN.userName(identity.arn) else {
            return [ProbeResult(action: "iam:CreateAccessKey", resource: identity.arn, outcome: .failed,
                                detail: "\(identity.arn) is not an IAM user: only IAM users have access keys to rotate")]
        }
        let iam = try session.iam()
        let partition = IdentityARN.partition(identity.arn)
        let resource = "arn:\(partition):iam::\(identity.account):user/\(user)"
        let absent = "AKIA" + String(repeating: "Z", count: 16)
        return [
            try PermissionProbe.run("iam:ListAccessKeys", resource: resource) { () throws(AWSError) in
                "\(try iam.listAccessKeys(user).count) key(s)"
            },
            try PermissionProbe.run("iam:GetAccessKeyLastUsed", resource: resource) { () throws(AWSError) in
                _ = try iam.getAccessKeyLastUsed(caller.accessKeyId)
                return "allowed"
            },
            PermissionProbe.skipped("iam:CreateAccessKey", resource: resource, "not probed: it would create a key (credctl rotate --dry-run shows the plan)"),
            try PermissionProbe.run("iam:UpdateAccessKey", resource: resource, provesAllowed: ["NoSuchEntity"]) { () throws(AWSError) in
                try iam.updateAccessKey(absent, status: .inactive, userName: user)
                return "allowed"
            },
            try PermissionProbe.run("iam:DeleteAccessKey", resource: resource, provesAllowed: ["NoSuchEntity"]) { () throws(AWSError) in
                try iam.deleteAccessKey(absent, userName: user)
                return "allowed"
            },
        ]
    }
}
