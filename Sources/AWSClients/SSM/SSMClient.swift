import AWSCore

/// AWS Systems Manager Parameter Store (JSON 1.1, target prefix `AmazonSSM`).
public struct SSMClient: Sendable {
    let json: JSONProtocol

    /// The most `GetParameters` and `DeleteParameters` take in one call.
    public static let namesPerCall = 10

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        json = JSONProtocol(client: client, endpoint: endpoint, service: .ssm, targetPrefix: "AmazonSSM", jsonVersion: "1.1")
    }

    public var retryPolicy: RetryPolicy { json.client.retryPolicy }
    /// The run's client core (its retry quota and clock, for `AtMostOnce`).
    public var core: ClientCore { json.client.core }
    public var log: DebugLog { json.client.core.log }

    /// `name` may carry a selector: `/a/b:3` (version) or `/a/b:label`.
    public func getParameter(_ name: String, decrypt: Bool = true) throws(AWSError) -> Parameter {
        let result = try json.call(SSMOperation.getParameter, .object([("Name", .string(name)), ("WithDecryption", .bool(decrypt))]))
        return try Self.parameter(result["Parameter"], "ssm:GetParameter")
    }

    /// The parameter, or nil when there is none of that name.
    public func findParameter(_ name: String, decrypt: Bool = true) throws(AWSError) -> Parameter? {
        do { return try getParameter(name, decrypt: decrypt) } catch where error.isService(.parameterNotFound) { return nil }
    }

    /// Up to 10 names; the names SSM does not know come back in `invalid`.
    public func getParameters(_ names: [String], decrypt: Bool = true) throws(AWSError) -> (found: [Parameter], invalid: [String]) {
        let result = try json.call(SSMOperation.getParameters,
                                   .object([("Names", .array(names.map { .string($0) })), ("WithDecryption", .bool(decrypt))]))
        let found = try (result["Parameters"]?.arrayValue ?? []).map { v throws(AWSError) in try Self.parameter(v, "ssm:GetParameters") }
        return (found, (result["InvalidParameters"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    public func getParametersByPath(_ path: String, recursive: Bool, decrypt: Bool = true,
                                    nextToken: String? = nil) throws(AWSError) -> Page<Parameter> {
        var input: [(String, JSONValue)] = [("Path", .string(path)), ("Recursive", .bool(recursive)),
                                            ("WithDecryption", .bool(decrypt)), ("MaxResults", .number(10))]
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call(SSMOperation.getParametersByPath, .object(input))
        let items = try (result["Parameters"]?.arrayValue ?? []).map { v throws(AWSError) in try Self.parameter(v, "ssm:GetParametersByPath") }
        return Page(items: items, nextToken: result["NextToken"]?.stringValue)
    }

    /// Every parameter under `path`, following `NextToken` through short and empty pages.
    /// `onPage` is told the running count after each page.
    public func allParametersByPath(_ path: String, recursive: Bool, decrypt: Bool = true,
                                    onPage: (Int) -> Void = { _ in }) throws(AWSError) -> [Parameter] {
        try Paginator.all(operation: "ssm:GetParametersByPath", onPage: onPage) { token throws(AWSError) in
            try getParametersByPath(path, recursive: recursive, decrypt: decrypt, nextToken: token)
        }
    }

    /// Not idempotent (no request token): callers reconcile a lost answer by reading the
    /// parameter back (`AtMostOnce`). Returns the new version.
    public func putParameter(_ request: PutParameterRequest) throws(AWSError) -> Int {
        var input: [(String, JSONValue)] = [("Name", .string(request.name)), ("Value", .string(request.value)),
                                            ("Type", .string(request.type.rawValue)), ("Overwrite", .bool(request.overwrite))]
        if let v = request.description { input.append(("Description", .string(v))) }
        if let v = request.keyId { input.append(("KeyId", .string(v))) }
        if let v = request.tier { input.append(("Tier", .string(v.rawValue))) }
        if !request.tags.isEmpty { input.append(("Tags", .array(request.tags.map(\.json)))) }
        if let v = request.dataType { input.append(("DataType", .string(v))) }
        let result = try json.call(SSMOperation.putParameter, .object(input))
        guard let version = result["Version"]?.intValue else {
            throw .invalidResponse(operation: "ssm:PutParameter", detail: "Version missing")
        }
        return version
    }

    public func addTags(toParameter name: String, _ tags: [Tag]) throws(AWSError) {
        _ = try json.call(SSMOperation.addTagsToResource, .object([("ResourceType", .string("Parameter")), ("ResourceId", .string(name)),
                                                                   ("Tags", .array(tags.map(\.json)))]))
    }

    /// A parameter's tags.
    public func listTags(ofParameter name: String) throws(AWSError) -> [Tag] {
        let result = try json.call(SSMOperation.listTagsForResource, .object([("ResourceType", .string("Parameter")), ("ResourceId", .string(name))]))
        guard let list = result["TagList"]?.arrayValue else { return [] }
        return try list.map { v throws(AWSError) in
            guard let key = v["Key"]?.stringValue, let value = v["Value"]?.stringValue else {
                throw .invalidResponse(operation: "ssm:ListTagsForResource", detail: "a tag without its Key or Value")
            }
            return Tag(key: key, value: value)
        }
    }

    /// Up to 10 names; names that did not exist come back in `invalid`.
    public func deleteParameters(_ names: [String]) throws(AWSError) -> (deleted: [String], invalid: [String]) {
        let result = try json.call(SSMOperation.deleteParameters, .object([("Names", .array(names.map { .string($0) }))]))
        return ((result["DeletedParameters"]?.arrayValue ?? []).compactMap(\.stringValue),
                (result["InvalidParameters"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// Every parameter's metadata (no values), under `path` when given.
    public func describeAllParameters(path: String?, recursive: Bool) throws(AWSError) -> [ParameterMetadata] {
        try Paginator.all(operation: "ssm:DescribeParameters") { token throws(AWSError) in
            try describeParameters(path: path, recursive: recursive, maxResults: 50, nextToken: token)
        }
    }

    /// One page of parameter metadata (at most 50).
    public func describeParameters(path: String?, recursive: Bool, maxResults: Int, nextToken: String? = nil) throws(AWSError) -> Page<ParameterMetadata> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(maxResults))]
        if let path {
            input.append(("ParameterFilters", .array([.object([("Key", .string("Path")), ("Option", .string(recursive ? "Recursive" : "OneLevel")),
                                                               ("Values", .array([.string(path)]))])])))
        }
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call(SSMOperation.describeParameters, .object(input))
        let items = try (result["Parameters"]?.arrayValue ?? []).map { v throws(AWSError) in try Self.metadata(v) }
        return Page(items: items, nextToken: result["NextToken"]?.stringValue)
    }

    /// Every version still kept (SSM keeps the last 100), oldest first.
    public func parameterHistory(_ name: String, decrypt: Bool) throws(AWSError) -> [ParameterVersion] {
        try Paginator.all(operation: "ssm:GetParameterHistory") { token throws(AWSError) in
            var input: [(String, JSONValue)] = [("Name", .string(name)), ("WithDecryption", .bool(decrypt)), ("MaxResults", .number(50))]
            if let token { input.append(("NextToken", .string(token))) }
            let result = try json.call(SSMOperation.getParameterHistory, .object(input))
            let items = try (result["Parameters"]?.arrayValue ?? []).map { v throws(AWSError) -> ParameterVersion in
                guard let version = v["Version"]?.intValue, let type = Self.type(v["Type"]) else {
                    throw .invalidResponse(operation: "ssm:GetParameterHistory", detail: "Version or Type missing")
                }
                return ParameterVersion(version: version, type: type, value: decrypt ? v["Value"]?.stringValue : nil,
                                        lastModified: JSONDate.seconds(v["LastModifiedDate"]), lastModifiedUser: v["LastModifiedUser"]?.stringValue,
                                        description: v["Description"]?.stringValue,
                                        labels: (v["Labels"]?.arrayValue ?? []).compactMap(\.stringValue))
            }
            return Page(items: items, nextToken: result["NextToken"]?.stringValue)
        }
    }

    static func type(_ v: JSONValue?) -> ParameterType? { v?.stringValue.flatMap(ParameterType.init(rawValue:)) }

    static func parameter(_ v: JSONValue?, _ operation: String) throws(AWSError) -> Parameter {
        guard let v, let name = v["Name"]?.stringValue, let value = v["Value"]?.stringValue,
              let type = type(v["Type"]), let version = v["Version"]?.intValue else {
            throw .invalidResponse(operation: operation, detail: "a parameter without its Name, Value, Type or Version")
        }
        return Parameter(name: name, type: type, value: value, version: version,
                         lastModified: JSONDate.seconds(v["LastModifiedDate"]), arn: v["ARN"]?.stringValue,
                         dataType: v["DataType"]?.stringValue, selector: v["Selector"]?.stringValue)
    }

    static func metadata(_ v: JSONValue) throws(AWSError) -> ParameterMetadata {
        guard let name = v["Name"]?.stringValue, let type = type(v["Type"]), let version = v["Version"]?.intValue else {
            throw .invalidResponse(operation: "ssm:DescribeParameters", detail: "a parameter without its Name, Type or Version")
        }
        return ParameterMetadata(name: name, type: type, version: version,
                                 lastModified: JSONDate.seconds(v["LastModifiedDate"]), lastModifiedUser: v["LastModifiedUser"]?.stringValue,
                                 description: v["Description"]?.stringValue, keyId: v["KeyId"]?.stringValue,
                                 tier: v["Tier"]?.stringValue.flatMap(ParameterTier.init(rawValue:)),
                                 policyCount: v["Policies"]?.arrayValue?.count ?? 0)
    }
}
