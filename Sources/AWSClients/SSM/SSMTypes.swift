import AWSCore

/// A parameter's type.
public enum ParameterType: String, Sendable, CaseIterable {
    case string = "String"
    case stringList = "StringList"
    case secureString = "SecureString"

    /// The type a user typed, or an error naming the choices.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let t = ParameterType(rawValue: text) else {
            throw ConfigurationError("'\(text)' is not a parameter type: use String, StringList or SecureString")
        }
        self = t
    }
}

/// A parameter's storage tier.
public enum ParameterTier: String, Sendable, CaseIterable {
    case standard = "Standard"
    case advanced = "Advanced"
    case intelligentTiering = "Intelligent-Tiering"

    /// The largest value in bytes: 4 KB, or 8 KB for the tiers that may store an advanced parameter.
    public var maxValueBytes: Int { self == .standard ? 4096 : 8192 }

    /// The tier a user typed, or an error naming the choices.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let t = ParameterTier(rawValue: text) else {
            throw ConfigurationError("'\(text)' is not a tier: use Standard, Advanced or Intelligent-Tiering")
        }
        self = t
    }
}

/// One parameter with its value, as `GetParameter`, `GetParameters` and
/// `GetParametersByPath` return it.
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var type: ParameterType
    public var value: String
    public var version: Int
    /// Seconds since 1970.
    public var lastModified: Int?
    public var arn: String?
    public var dataType: String?
    /// `:3` or `:label` when the parameter was asked for by version or label.
    public var selector: String?

    public init(name: String, type: ParameterType, value: String, version: Int, lastModified: Int? = nil, arn: String? = nil,
                dataType: String? = nil, selector: String? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.lastModified = lastModified
        self.arn = arn
        self.dataType = dataType
        self.selector = selector
    }
}

/// A parameter without its value, as `DescribeParameters` lists it.
public struct ParameterMetadata: Sendable, Equatable {
    public var name: String
    public var type: ParameterType
    public var version: Int
    public var lastModified: Int?
    public var lastModifiedUser: String?
    public var description: String?
    public var keyId: String?
    public var tier: ParameterTier?
    /// How many parameter policies (expiration, notification) it has.
    public var policyCount = 0
}

/// One version of a parameter, as `GetParameterHistory` lists it.
public struct ParameterVersion: Sendable, Equatable {
    public var version: Int
    public var type: ParameterType
    public var value: String?
    public var lastModified: Int?
    public var lastModifiedUser: String?
    public var description: String?
    public var labels: [String]
}

/// What `PutParameter` sends. The value is never logged.
public struct PutParameterRequest: Sendable, Equatable {
    public var name: String
    public var value: String
    public var type: ParameterType
    public var overwrite: Bool
    public var description: String?
    public var keyId: String?
    public var tier: ParameterTier?
    public var tags: [Tag]
    /// `text` (nil: SSM's default), `aws:ec2:image` or `aws:ssm:integration`.
    public var dataType: String?

    public init(name: String, value: String, type: ParameterType = .secureString, overwrite: Bool = false, description: String? = nil,
                keyId: String? = nil, tier: ParameterTier? = nil, tags: [Tag] = [], dataType: String? = nil) {
        self.dataType = dataType
        self.name = name
        self.value = value
        self.type = type
        self.overwrite = overwrite
        self.description = description
        self.keyId = keyId
        self.tier = tier
        self.tags = tags
    }
}

/// The Parameter Store operations credctl calls. `PutParameter` has no request token, so a
/// repeat writes a second version; a repeated `DeleteParameters` reports the names the first
/// call deleted as invalid.
public enum SSMOperation: String, ServiceOperation, CaseIterable {
    case getParameter = "GetParameter"
    case getParameters = "GetParameters"
    case getParametersByPath = "GetParametersByPath"
    case putParameter = "PutParameter"
    case addTagsToResource = "AddTagsToResource"
    case deleteParameters = "DeleteParameters"
    case describeParameters = "DescribeParameters"
    case getParameterHistory = "GetParameterHistory"
    case listTagsForResource = "ListTagsForResource"

    public var safety: RepeatSafety {
        switch self {
        case .putParameter, .deleteParameters: return .notIdempotent
        case .getParameter, .getParameters, .getParametersByPath, .addTagsToResource, .describeParameters, .getParameterHistory,
             .listTagsForResource:
            return .idempotent
        }
    }
}
