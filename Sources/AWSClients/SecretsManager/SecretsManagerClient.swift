import AWSCore

/// AWS Secrets Manager (JSON 1.1, target prefix `secretsmanager`). Describe and list answers
/// become `SecretMetadata`; nothing of the service's answer is passed on raw.
public struct SecretsManagerClient: Sendable {
    let json: JSONProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .secretsManager, targetPrefix: "secretsmanager", jsonVersion: "1.1")
    }

    public func getSecretValue(_ id: String, versionId: String? = nil, versionStage: String? = nil) throws(AWSError) -> SecretValue {
        var input: [(String, JSONValue)] = [("SecretId", .string(id))]
        if let versionId { input.append(("VersionId", .string(versionId))) }
        if let versionStage { input.append(("VersionStage", .string(versionStage))) }
        let r = try json.call(SecretsManagerOperation.getSecretValue, .object(input))
        var binary: [UInt8]?
        if let text = r["SecretBinary"]?.stringValue {
            guard let bytes = Base64.decode(text) else {
                throw .invalidResponse(operation: "secretsmanager:GetSecretValue", detail: "SecretBinary is not base64")
            }
            binary = bytes
        }
        guard let arn = r["ARN"]?.stringValue, let name = r["Name"]?.stringValue else {
            throw .invalidResponse(operation: "secretsmanager:GetSecretValue", detail: "ARN or Name missing")
        }
        return SecretValue(arn: arn, name: name, versionId: r["VersionId"]?.stringValue,
                           versionStages: (r["VersionStages"]?.arrayValue ?? []).compactMap(\.stringValue),
                           secretString: r["SecretString"]?.stringValue, secretBinary: binary, created: JSONDate.seconds(r["CreatedDate"]))
    }

    public func createSecret(_ request: CreateSecretRequest) throws(AWSError) -> SecretVersionRef {
        var input: [(String, JSONValue)] = [("Name", .string(request.name)), ("SecretString", .string(request.secretString)),
                                            ("ClientRequestToken", .string(request.clientRequestToken))]
        if let v = request.description { input.append(("Description", .string(v))) }
        if let v = request.kmsKeyId { input.append(("KmsKeyId", .string(v))) }
        if !request.tags.isEmpty { input.append(("Tags", .array(request.tags.map(\.json)))) }
        return try Self.versionRef(try json.call(SecretsManagerOperation.createSecret, .object(input)), "secretsmanager:CreateSecret")
    }

    /// A new `AWSCURRENT` version; `clientRequestToken` makes a retried call a no-op.
    public func putSecretValue(_ id: String, secretString: String,
                               clientRequestToken: String = IdempotencyToken.make()) throws(AWSError) -> SecretVersionRef {
        let input: JSONValue = .object([("SecretId", .string(id)), ("SecretString", .string(secretString)),
                                        ("ClientRequestToken", .string(clientRequestToken))])
        return try Self.versionRef(try json.call(SecretsManagerOperation.putSecretValue, input), "secretsmanager:PutSecretValue")
    }

    /// Moves a staging label (`AWSCURRENT`) to `toVersion`, off `fromVersion`; repeating it
    /// after it landed changes nothing more.
    public func updateSecretVersionStage(_ id: String, stage: String, toVersion: String, fromVersion: String?) throws(AWSError) {
        var input: [(String, JSONValue)] = [("SecretId", .string(id)), ("VersionStage", .string(stage)), ("MoveToVersionId", .string(toVersion))]
        if let fromVersion { input.append(("RemoveFromVersionId", .string(fromVersion))) }
        _ = try json.call(SecretsManagerOperation.updateSecretVersionStage, .object(input))
    }

    public func describeSecret(_ id: String) throws(AWSError) -> SecretMetadata {
        try Self.metadata(try json.call(SecretsManagerOperation.describeSecret, .object([("SecretId", .string(id))])),
                          "secretsmanager:DescribeSecret")
    }

    /// The first `maxResults` secrets (one page).
    public func listSecrets(maxResults: Int) throws(AWSError) -> [SecretMetadata] {
        try listPage(maxResults: maxResults, namePrefix: nil, token: nil).items
    }

    /// Every secret, following `NextToken`; only names starting with `namePrefix` when given.
    /// `onPage` is told the running count after each page.
    public func listAllSecrets(namePrefix: String? = nil, onPage: (Int) -> Void = { _ in }) throws(AWSError) -> [SecretMetadata] {
        try Paginator.all(operation: "secretsmanager:ListSecrets", onPage: onPage) { token throws(AWSError) in
            try listPage(maxResults: 100, namePrefix: namePrefix, token: token)
        }
    }

    func listPage(maxResults: Int, namePrefix: String?, token: String?) throws(AWSError) -> Page<SecretMetadata> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(maxResults))]
        if let namePrefix {
            input.append(("Filters", .array([.object([("Key", .string("name")), ("Values", .array([.string(namePrefix)]))])])))
        }
        if let token { input.append(("NextToken", .string(token))) }
        let r = try json.call(SecretsManagerOperation.listSecrets, .object(input))
        let items = try (r["SecretList"]?.arrayValue ?? []).map { e throws(AWSError) in try Self.metadata(e, "secretsmanager:ListSecrets") }
        return Page(items: items, nextToken: r["NextToken"]?.stringValue)
    }

    /// Schedules deletion after `recoveryWindowDays` (7–30; nil: the service's 30), or deletes
    /// at once with `force`. Returns the deletion date.
    public func deleteSecret(_ id: String, recoveryWindowDays: Int?, force: Bool) throws(AWSError) -> (ref: SecretVersionRef, deletionDate: Int?) {
        var input: [(String, JSONValue)] = [("SecretId", .string(id))]
        if force { input.append(("ForceDeleteWithoutRecovery", .bool(true))) }
        else if let days = recoveryWindowDays { input.append(("RecoveryWindowInDays", .number(days))) }
        let r = try json.call(SecretsManagerOperation.deleteSecret, .object(input))
        return (try Self.versionRef(r, "secretsmanager:DeleteSecret"), JSONDate.seconds(r["DeletionDate"]))
    }

    public func tagResource(_ id: String, tags: [Tag]) throws(AWSError) {
        _ = try json.call(SecretsManagerOperation.tagResource, .object([("SecretId", .string(id)), ("Tags", .array(tags.map(\.json)))]))
    }

    static func versionRef(_ r: JSONValue, _ operation: String) throws(AWSError) -> SecretVersionRef {
        guard let arn = r["ARN"]?.stringValue, let name = r["Name"]?.stringValue else {
            throw .invalidResponse(operation: operation, detail: "ARN or Name missing")
        }
        return SecretVersionRef(arn: arn, name: name, versionId: r["VersionId"]?.stringValue)
    }

    static func metadata(_ d: JSONValue, _ operation: String) throws(AWSError) -> SecretMetadata {
        guard let name = d["Name"]?.stringValue, let arn = d["ARN"]?.stringValue else {
            throw .invalidResponse(operation: operation, detail: "a secret without its Name or ARN")
        }
        var versions: [(id: String, stages: [String])] = []
        if case .object(let members)? = d["VersionIdsToStages"] ?? d["SecretVersionsToStages"] {
            versions = members.map { ($0.0, ($0.1.arrayValue ?? []).compactMap(\.stringValue)) }.sorted { $0.id < $1.id }
        }
        let tags = (d["Tags"]?.arrayValue ?? []).compactMap { t in t["Key"]?.stringValue.map { Tag(key: $0, value: t["Value"]?.stringValue ?? "") } }
        return SecretMetadata(name: name, arn: arn, description: d["Description"]?.stringValue, kmsKeyId: d["KmsKeyId"]?.stringValue,
                              created: JSONDate.seconds(d["CreatedDate"]), lastChanged: JSONDate.seconds(d["LastChangedDate"]),
                              lastAccessed: JSONDate.seconds(d["LastAccessedDate"]), deletionDate: JSONDate.seconds(d["DeletedDate"]),
                              rotationEnabled: d["RotationEnabled"]?.boolValue ?? false, tags: tags, versions: versions)
    }
}
