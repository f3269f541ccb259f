import AWSCore
import SigV4

/// An IAM user as `GetUser`, `CreateUser` and `ListUsers` describe it.
public struct IAMUser: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var userId: String
    /// Seconds since 1970.
    public var created: Int?

    public init(name: String, arn: String, userId: String, created: Int?) {
        self.name = name
        self.arn = arn
        self.userId = userId
        self.created = created
    }
}

/// One access key as `ListAccessKeys` describes it (no secret).
public struct AccessKeyMetadata: Sendable, Equatable {
    public enum Status: String, Sendable { case active = "Active", inactive = "Inactive" }

    public var id: String
    public var userName: String
    public var status: Status
    /// Seconds since 1970.
    public var created: Int?

    public init(id: String, userName: String, status: Status, created: Int?) {
        self.id = id
        self.userName = userName
        self.status = status
        self.created = created
    }
}

/// A new access key: the only time IAM returns its secret.
public struct NewAccessKey: Sendable {
    public var metadata: AccessKeyMetadata
    public var secretAccessKey: String

    public init(metadata: AccessKeyMetadata, secretAccessKey: String) {
        self.metadata = metadata
        self.secretAccessKey = secretAccessKey
    }

    public var credentials: SigningCredentials {
        SigningCredentials(accessKeyId: metadata.id, secretAccessKey: secretAccessKey, sessionToken: nil)
    }
}

/// When and where a key was last used (`GetAccessKeyLastUsed`); all nil when never used.
public struct AccessKeyLastUse: Sendable, Equatable {
    public var date: Int?
    public var service: String?
    public var region: String?

    public init(date: Int?, service: String?, region: String?) {
        self.date = date
        self.service = service
        self.region = region
    }
}

/// A customer managed policy (`CreatePolicy`, `GetPolicy`).
public struct ManagedPolicy: Sendable, Equatable {
    public var arn: String
    public var defaultVersionId: String
}

/// One version of a managed policy.
public struct PolicyVersion: Sendable, Equatable {
    public var id: String
    public var isDefault: Bool
    public var created: Int?
}
