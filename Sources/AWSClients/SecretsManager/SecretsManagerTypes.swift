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

    public init(arn: String, name: String, versionId: String?) {
        self.arn = arn
        self.name = name
        self.versionId = versionId
    }
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

/// A secret's metadata, as `DescribeSecret` and `ListSecrets` give it (never its value).
public struct SecretMetadata: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    public var kmsKeyId: String?
    public var created: Int?
    public var lastChanged: Int?
    public var lastAccessed: Int?
    /// When a scheduled deletion happens.
    public var deletionDate: Int?
    public var rotationEnabled: Bool
    public var tags: [Tag]
    /// Each version id with its staging labels (`AWSCURRENT`, `AWSPREVIOUS`, …), sorted by id.
    public var versions: [(id: String, stages: [String])]

    public static func == (a: SecretMetadata, b: SecretMetadata) -> Bool {
        a.name == b.name && a.arn == b.arn && a.description == b.description && a.kmsKeyId == b.kmsKeyId && a.created == b.created
            && a.lastChanged == b.lastChanged && a.lastAccessed == b.lastAccessed && a.deletionDate == b.deletionDate
            && a.rotationEnabled == b.rotationEnabled && a.tags == b.tags
            && a.versions.map(\.id) == b.versions.map(\.id) && a.versions.map(\.stages) == b.versions.map(\.stages)
    }
}

/// The Secrets Manager operations credctl calls. Create and Put carry a `ClientRequestToken`,
/// which makes a repeat a no-op; a repeated DeleteSecret fails for what the first one scheduled.
public enum SecretsManagerOperation: String, ServiceOperation, CaseIterable {
    case getSecretValue = "GetSecretValue"
    case createSecret = "CreateSecret"
    case putSecretValue = "PutSecretValue"
    case describeSecret = "DescribeSecret"
    case listSecrets = "ListSecrets"
    case deleteSecret = "DeleteSecret"
    case tagResource = "TagResource"
    case updateSecretVersionStage = "UpdateSecretVersionStage"

    public var safety: RepeatSafety { self == .deleteSecret ? .notIdempotent : .idempotent }
}
