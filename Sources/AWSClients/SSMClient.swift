import AWSCore

/// One parameter with its value, as `GetParameter`, `GetParameters` and
/// `GetParametersByPath` return it.
public struct Parameter: Sendable, Equatable {
    public var name: String
    /// `String`, `StringList` or `SecureString`.
    public var type: String
    public var value: String
    public var version: Int
    /// Seconds since 1970.
    public var lastModified: Int?
    public var arn: String?
    public var dataType: String?
    /// `:3` or `:label` when the parameter was asked for by version or label.
    public var selector: String?

    public init(name: String, type: String, value: String, version: Int, lastModified: Int? = nil, arn: String? = nil,
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
    public var type: String
    public var version: Int
    public var lastModified: Int?
    public var lastModifiedUser: String?
    public var description: String?
    public var keyId: String?
    public var tier: String?
}

/// One version of a parameter, as `GetParameterHistory` lists it.
public struct ParameterVersion: Sendable, Equatable {
    public var version: Int
    public var type: String
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
    public var type: String
    public var overwrite: Bool
    public var description: String?
    public var keyId: String?
    public var tier: String?
    public var tags: [Tag]

    public init(name: String, value: String, type: String = "SecureString", overwrite: Bool = false, description: String? = nil,
                keyId: String? = nil, tier: String? = nil, tags: [Tag] = []) {
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

/// AWS Systems Manager Parameter Store (JSON 1.1, target prefix `AmazonSSM`).
public struct SSMClient: Sendable {
    let json: JSONProtocol

    /// The most `GetParameters` and `DeleteParameters` take in one call.
    public static let namesPerCall = 10

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .ssm, targetPrefix: "AmazonSSM", jsonVersion: "1.1")
    }

    /// `name` may carry a selector: `/a/b:3` (version) or `/a/b:label`.
    public func getParameter(_ name: String, decrypt: Bool = true) throws(AWSError) -> Parameter {
        let result = try json.call("GetParameter", .object([("Name", .string(name)), ("WithDecryption", .bool(decrypt))]))
        guard let p = result["Parameter"].flatMap(Self.parameter) else {
            throw .invalidResponse(operation: "ssm:GetParameter", detail: "Parameter missing")
        }
        return p
    }

    /// Up to 10 names; the names SSM does not know come back in `invalid`.
    public func getParameters(_ names: [String], decrypt: Bool = true) throws(AWSError) -> (found: [Parameter], invalid: [String]) {
        let result = try json.call("GetParameters", .object([("Names", .array(names.map { .string($0) })), ("WithDecryption", .bool(decrypt))]))
        return ((result["Parameters"]?.arrayValue ?? []).compactMap(Self.parameter),
                (result["InvalidParameters"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    public func getParametersByPath(_ path: String, recursive: Bool, decrypt: Bool = true,
                                    nextToken: String? = nil) throws(AWSError) -> Page<Parameter> {
        var input: [(String, JSONValue)] = [("Path", .string(path)), ("Recursive", .bool(recursive)),
                                            ("WithDecryption", .bool(decrypt)), ("MaxResults", .number(10))]
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call("GetParametersByPath", .object(input))
        return Page(items: (result["Parameters"]?.arrayValue ?? []).compactMap(Self.parameter), nextToken: result["NextToken"]?.stringValue)
    }

    /// Every parameter under `path`, following `NextToken` through short and empty pages.
    /// `onPage` is told the running count after each page.
    public func allParametersByPath(_ path: String, recursive: Bool, decrypt: Bool = true,
                                    onPage: (Int) -> Void = { _ in }) throws(AWSError) -> [Parameter] {
        var all: [Parameter] = []
        var token: String?
        repeat {
            let page = try getParametersByPath(path, recursive: recursive, decrypt: decrypt, nextToken: token)
            all += page.items
            onPage(all.count)
            token = page.nextToken
        } while token != nil
        return all
    }

    /// The same endpoint and credentials, retrying as `retryPolicy` says.
    public func with(retryPolicy: RetryPolicy) -> SSMClient {
        SSMClient(client: json.client.with(retryPolicy: retryPolicy), endpoint: json.endpoint)
    }

    public var retryPolicy: RetryPolicy { json.client.retryPolicy }

    /// Returns the new version.
    public func putParameter(_ request: PutParameterRequest) throws(AWSError) -> Int {
        var input: [(String, JSONValue)] = [("Name", .string(request.name)), ("Value", .string(request.value)),
                                            ("Type", .string(request.type)), ("Overwrite", .bool(request.overwrite))]
        if let v = request.description { input.append(("Description", .string(v))) }
        if let v = request.keyId { input.append(("KeyId", .string(v))) }
        if let v = request.tier { input.append(("Tier", .string(v))) }
        if !request.tags.isEmpty { input.append(("Tags", .array(request.tags.map(\.json)))) }
        let result = try json.call("PutParameter", .object(input))
        return result["Version"]?.intValue ?? 0
    }

    public func addTags(toParameter name: String, _ tags: [Tag]) throws(AWSError) {
        _ = try json.call("AddTagsToResource", .object([("ResourceType", .string("Parameter")), ("ResourceId", .string(name)),
                                                        ("Tags", .array(tags.map(\.json)))]))
    }

    /// Up to 10 names; names that did not exist come back in `invalid`.
    public func deleteParameters(_ names: [String]) throws(AWSError) -> (deleted: [String], invalid: [String]) {
        let result = try json.call("DeleteParameters", .object([("Names", .array(names.map { .string($0) }))]))
        return ((result["DeletedParameters"]?.arrayValue ?? []).compactMap(\.stringValue),
                (result["InvalidParameters"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// Every parameter's metadata (no values), under `path` when given.
    public func describeAllParameters(path: String?, recursive: Bool) throws(AWSError) -> [ParameterMetadata] {
        var all: [ParameterMetadata] = []
        var token: String?
        repeat {
            let page = try describeParameters(path: path, recursive: recursive, maxResults: 50, nextToken: token)
            all += page.items
            token = page.nextToken
        } while token != nil
        return all
    }

    /// One page of parameter metadata (at most 50).
    public func describeParameters(path: String?, recursive: Bool, maxResults: Int, nextToken: String? = nil) throws(AWSError) -> Page<ParameterMetadata> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(maxResults))]
        if let path {
            input.append(("ParameterFilters", .array([.object([("Key", .string("Path")), ("Option", .string(recursive ? "Recursive" : "OneLevel")),
                                                               ("Values", .array([.string(path)]))])])))
        }
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call("DescribeParameters", .object(input))
        return Page(items: (result["Parameters"]?.arrayValue ?? []).compactMap(Self.metadata), nextToken: result["NextToken"]?.stringValue)
    }

    /// Every version still kept (SSM keeps the last 100), oldest first.
    public func parameterHistory(_ name: String, decrypt: Bool) throws(AWSError) -> [ParameterVersion] {
        var all: [ParameterVersion] = []
        var token: String?
        repeat {
            var input: [(String, JSONValue)] = [("Name", .string(name)), ("WithDecryption", .bool(decrypt)), ("MaxResults", .number(50))]
            if let token { input.append(("NextToken", .string(token))) }
            let result = try json.call("GetParameterHistory", .object(input))
            all += (result["Parameters"]?.arrayValue ?? []).compactMap { v -> ParameterVersion? in
                guard let version = v["Version"]?.intValue else { return nil }
                return ParameterVersion(version: version, type: v["Type"]?.stringValue ?? "", value: decrypt ? v["Value"]?.stringValue : nil,
                                        lastModified: JSONDate.seconds(v["LastModifiedDate"]), lastModifiedUser: v["LastModifiedUser"]?.stringValue,
                                        description: v["Description"]?.stringValue,
                                        labels: (v["Labels"]?.arrayValue ?? []).compactMap(\.stringValue))
            }
            token = result["NextToken"]?.stringValue
        } while token != nil
        return all
    }

    static func parameter(_ v: JSONValue) -> Parameter? {
        guard let name = v["Name"]?.stringValue, let value = v["Value"]?.stringValue else { return nil }
        return Parameter(name: name, type: v["Type"]?.stringValue ?? "String", value: value, version: v["Version"]?.intValue ?? 0,
                         lastModified: JSONDate.seconds(v["LastModifiedDate"]), arn: v["ARN"]?.stringValue,
                         dataType: v["DataType"]?.stringValue, selector: v["Selector"]?.stringValue)
    }

    static func metadata(_ v: JSONValue) -> ParameterMetadata? {
        guard let name = v["Name"]?.stringValue else { return nil }
        return ParameterMetadata(name: name, type: v["Type"]?.stringValue ?? "", version: v["Version"]?.intValue ?? 0,
                                 lastModified: JSONDate.seconds(v["LastModifiedDate"]), lastModifiedUser: v["LastModifiedUser"]?.stringValue,
                                 description: v["Description"]?.stringValue, keyId: v["KeyId"]?.stringValue, tier: v["Tier"]?.stringValue)
    }
}
