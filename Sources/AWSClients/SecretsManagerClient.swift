import AWSCore

/// A secret's value, as `GetSecretValue` returns it.
public struct SecretValue: Sendable, Equatable {
    public var arn: String
    public var name: String
    public var versionId: String?
    public var versionStages: [String]
    public var secretString: String?
    public var secretBinary: [UInt8]?
    public var created: Int?
}

/// Which secret version a write produced.
public struct SecretVersionRef: Sendable, Equatable {
    public var arn: String
    public var name: String
    public var versionId: String?
}

/// What `CreateSecret` sends. The value is never logged.
public struct CreateSecretRequest: Sendable, Equatable {
    public var name: String
    public var secretString: String
    public var description: String?
    public var kmsKeyId: String?
    public var tags: [Tag]
    /// Sent as `ClientRequestToken`, the same on every retry, so a retried call creates one version.
    public var clientRequestToken: String

    public init(name: String, secretString: String, description: String? = nil, kmsKeyId: String? = nil, tags: [Tag] = [],
                clientRequestToken: String = IdempotencyToken.make()) {
        self.name = name
        self.secretString = secretString
        self.description = description
        self.kmsKeyId = kmsKeyId
        self.tags = tags
        self.clientRequestToken = clientRequestToken
    }
}

/// AWS Secrets Manager (JSON 1.1, target prefix `secretsmanager`). Describe and list answers are
/// metadata only and are returned as the service's JSON.
public struct SecretsManagerClient: Sendable {
    let json: JSONProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .secretsManager, targetPrefix: "secretsmanager", jsonVersion: "1.1")
    }

    public func getSecretValue(_ id: String, versionId: String? = nil, versionStage: String? = nil) throws(AWSError) -> SecretValue {
        var input: [(String, JSONValue)] = [("SecretId", .string(id))]
        if let versionId { input.append(("VersionId", .string(versionId))) }
        if let versionStage { input.append(("VersionStage", .string(versionStage))) }
        let r = try json.call("GetSecretValue", .object(input))
        var binary: [UInt8]?
        if let text = r["SecretBinary"]?.stringValue {
            guard let bytes = Base64.decode(text) else {
                throw .invalidResponse(operation: "secretsmanager:GetSecretValue", detail: "SecretBinary is not base64")
            }
            binary = bytes
        }
        return SecretValue(arn: r["ARN"]?.stringValue ?? "", name: r["Name"]?.stringValue ?? id, versionId: r["VersionId"]?.stringValue,
                           versionStages: (r["VersionStages"]?.arrayValue ?? []).compactMap(\.stringValue),
                           secretString: r["SecretString"]?.stringValue, secretBinary: binary, created: JSONDate.seconds(r["CreatedDate"]))
    }

    public func createSecret(_ request: CreateSecretRequest) throws(AWSError) -> SecretVersionRef {
        var input: [(String, JSONValue)] = [("Name", .string(request.name)), ("SecretString", .string(request.secretString)),
                                            ("ClientRequestToken", .string(request.clientRequestToken))]
        if let v = request.description { input.append(("Description", .string(v))) }
        if let v = request.kmsKeyId { input.append(("KmsKeyId", .string(v))) }
        if !request.tags.isEmpty { input.append(("Tags", .array(request.tags.map(\.json)))) }
        return Self.versionRef(try json.call("CreateSecret", .object(input)), id: request.name)
    }

    /// A new `AWSCURRENT` version; `clientRequestToken` makes a retried call a no-op.
    public func putSecretValue(_ id: String, secretString: String,
                               clientRequestToken: String = IdempotencyToken.make()) throws(AWSError) -> SecretVersionRef {
        let input: JSONValue = .object([("SecretId", .string(id)), ("SecretString", .string(secretString)),
                                        ("ClientRequestToken", .string(clientRequestToken))])
        return Self.versionRef(try json.call("PutSecretValue", input), id: id)
    }

    public func describeSecret(_ id: String) throws(AWSError) -> JSONValue {
        try json.call("DescribeSecret", .object([("SecretId", .string(id))]))
    }

    /// The first `maxResults` secrets' list entries (one page).
    public func listSecrets(maxResults: Int) throws(AWSError) -> [JSONValue] {
        try json.call("ListSecrets", .object([("MaxResults", .number(maxResults))]))["SecretList"]?.arrayValue ?? []
    }

    /// Every secret's list entry, following `NextToken`; only names starting with `namePrefix` when given.
    public func listAllSecrets(namePrefix: String? = nil) throws(AWSError) -> [JSONValue] {
        var all: [JSONValue] = []
        var token: String?
        repeat {
            var input: [(String, JSONValue)] = [("MaxResults", .number(100))]
            if let namePrefix {
                input.append(("Filters", .array([.object([("Key", .string("name")), ("Values", .array([.string(namePrefix)]))])])))
            }
            if let token { input.append(("NextToken", .string(token))) }
            let r = try json.call("ListSecrets", .object(input))
            all += r["SecretList"]?.arrayValue ?? []
            token = r["NextToken"]?.stringValue
        } while token != nil
        return all
    }

    /// Schedules deletion after `recoveryWindowDays` (7–30; nil: the service's 30), or deletes
    /// at once with `force`. Returns the deletion date.
    public func deleteSecret(_ id: String, recoveryWindowDays: Int?, force: Bool) throws(AWSError) -> (ref: SecretVersionRef, deletionDate: Int?) {
        var input: [(String, JSONValue)] = [("SecretId", .string(id))]
        if force { input.append(("ForceDeleteWithoutRecovery", .bool(true))) }
        else if let days = recoveryWindowDays { input.append(("RecoveryWindowInDays", .number(days))) }
        let r = try json.call("DeleteSecret", .object(input))
        return (Self.versionRef(r, id: id), JSONDate.seconds(r["DeletionDate"]))
    }

    public func tagResource(_ id: String, tags: [Tag]) throws(AWSError) {
        _ = try json.call("TagResource", .object([("SecretId", .string(id)), ("Tags", .array(tags.map(\.json)))]))
    }

    static func versionRef(_ r: JSONValue, id: String) -> SecretVersionRef {
        SecretVersionRef(arn: r["ARN"]?.stringValue ?? "", name: r["Name"]?.stringValue ?? id, versionId: r["VersionId"]?.stringValue)
    }
}

/// Secrets Manager's rules, checked before any call (exit 2, nothing written).
public enum SecretsManagerRules {
    public static let maxSecretBytes = 65536

    /// `CreateSecret` names: 1–512 characters of letters, digits and `/_+=.@-`.
    public static func nameProblem(_ name: String) -> String? {
        guard (1...512).contains(name.count) else { return "a secret name must be 1 to 512 characters long" }
        let allowed = "/_+=.@-".unicodeScalars
        if let bad = name.unicodeScalars.first(where: {
            !(($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || allowed.contains($0))
        }) {
            return "'\(name)' holds '\(bad)': secret names may hold only letters, digits and / _ + = . @ -"
        }
        return nil
    }

    /// A name or ARN: 1–2048 characters.
    public static func idProblem(_ id: String) -> String? {
        (1...2048).contains(id.count) ? nil : "a secret id (name or ARN) must be 1 to 2048 characters long"
    }

    public static func valueProblem(_ value: String) -> String? {
        let bytes = value.utf8.count
        guard bytes > 0 else { return "the secret value is empty" }
        guard bytes <= maxSecretBytes else { return "the secret value is \(bytes) bytes; Secrets Manager allows at most \(maxSecretBytes)" }
        return nil
    }

    public static func recoveryWindowProblem(_ days: Int) -> String? {
        (7...30).contains(days) ? nil : "the recovery window must be 7 to 30 days"
    }

    public static func descriptionProblem(_ description: String) -> String? {
        description.count <= 2048 ? nil : "the description is longer than 2048 characters"
    }
}
