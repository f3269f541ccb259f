import AWSCore
import Synchronization

/// Parameter Store of one fake account and region: parameters with every version kept,
/// answered as SSM answers (JSON 1.1; `ParameterNotFound`, `ParameterAlreadyExists`,
/// `ParameterVersionNotFound`, `ValidationException`). Thread-safe.
public final class FakeSSM: Sendable {
    public let account: String
    public let region: String

    public struct Version: Sendable, Equatable {
        public var version: Int
        public var value: String
        public var type: String
        public var description: String?
        public var modified: Int
        public var user: String
    }

    public struct Parameter: Sendable {
        public var name: String
        public var versions: [Version]
        public var tags: [String: String]
        public var current: Version { versions[versions.count - 1] }
    }

    struct State {
        var parameters: [String: Parameter] = [:]
        var clock = 1_767_225_600
        /// GetParametersByPath answers at most this many per page (SSM's own limit is 10).
        var byPathPageSize = 10
        /// Pages with these numbers (0 the first) of every GetParametersByPath listing answer empty, with a token.
        var emptyPages: Set<Int> = []
    }

    let state = Mutex(State())

    public init(account: String, region: String) {
        self.account = account
        self.region = region
    }

    // MARK: Setting up and looking

    /// Writes a version as PutParameter with Overwrite would.
    public func put(_ name: String, _ value: String, type: String = "SecureString") {
        state.withLock { s in Self.write(&s, name: name, value: value, type: type, description: nil, user: "setup") }
    }

    public func parameter(_ name: String) -> Parameter? { state.withLock { $0.parameters[name] } }
    public var names: [String] { state.withLock { $0.parameters.keys.sorted() } }

    /// GetParametersByPath pages: at most `size` parameters each; `emptyPages` (0 the first) come back empty but with a token.
    public func setByPathPages(size: Int, emptyPages: Set<Int> = []) {
        state.withLock { $0.byPathPageSize = size; $0.emptyPages = emptyPages }
    }

    static func write(_ s: inout State, name: String, value: String, type: String, description: String?, user: String) {
        s.clock += 60
        var parameter = s.parameters[name] ?? Parameter(name: name, versions: [], tags: [:])
        parameter.versions.append(Version(version: (parameter.versions.last?.version ?? 0) + 1, value: value, type: type,
                                          description: description ?? parameter.versions.last?.description, modified: s.clock, user: user))
        s.parameters[name] = parameter
    }

    // MARK: Answering

    public func handle(_ call: RecordedRequest, caller: String) -> HTTPResponse {
        guard let input = call.json else { return JSONAnswer.error("SerializationException", "the body is not JSON") }
        let userArn = "arn:aws:iam::\(account):user/\(caller)"
        return state.withLock { s -> HTTPResponse in
            switch call.operation ?? "" {
            case "PutParameter":
                guard let name = input["Name"]?.stringValue, let value = input["Value"]?.stringValue else {
                    return JSONAnswer.error("ValidationException", "Name and Value are required")
                }
                let overwrite = input["Overwrite"]?.boolValue ?? false
                if overwrite, input["Tags"] != nil {
                    return JSONAnswer.error("ValidationException", "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
                }
                if s.parameters[name] != nil, !overwrite {
                    return JSONAnswer.error("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
                }
                let type = input["Type"]?.stringValue ?? s.parameters[name]?.current.type ?? "String"
                Self.write(&s, name: name, value: value, type: type, description: input["Description"]?.stringValue, user: userArn)
                for tag in input["Tags"]?.arrayValue ?? [] {
                    if let k = tag["Key"]?.stringValue { s.parameters[name]?.tags[k] = tag["Value"]?.stringValue ?? "" }
                }
                return JSONAnswer.ok(.object([("Version", .number(s.parameters[name]!.current.version)), ("Tier", .string("Standard"))]))
            case "GetParameter":
                let requested = input["Name"]?.stringValue ?? ""
                let decrypt = input["WithDecryption"]?.boolValue ?? false
                let (name, selector) = Self.split(requested)
                guard let parameter = s.parameters[name] else { return JSONAnswer.error("ParameterNotFound", "") }
                guard let version = selector.flatMap(Int.init).map({ v in parameter.versions.first { $0.version == v } }) ?? parameter.current else {
                    return JSONAnswer.error("ParameterVersionNotFound", "Systems Manager could not find version \(selector ?? "") of \(name).")
                }
                return JSONAnswer.ok(.object([("Parameter", json(parameter, version, decrypt: decrypt, selector: selector.map { ":" + $0 }))]))
            case "GetParameters":
                let names = (input["Names"]?.arrayValue ?? []).compactMap(\.stringValue)
                guard names.count <= 10 else { return JSONAnswer.error("ValidationException", "Names: at most 10") }
                let decrypt = input["WithDecryption"]?.boolValue ?? false
                let found = names.compactMap { s.parameters[$0] }.map { json($0, $0.current, decrypt: decrypt, selector: nil) }
                let invalid = names.filter { s.parameters[$0] == nil }.map { JSONValue.string($0) }
                return JSONAnswer.ok(.object([("Parameters", .array(found)), ("InvalidParameters", .array(invalid))]))
            case "GetParametersByPath":
                return byPath(input, s)
            case "DeleteParameters":
                let names = (input["Names"]?.arrayValue ?? []).compactMap(\.stringValue)
                guard names.count <= 10 else { return JSONAnswer.error("ValidationException", "Names: at most 10") }
                let deleted = names.filter { s.parameters[$0] != nil }
                for name in deleted { s.parameters[name] = nil }
                return JSONAnswer.ok(.object([("DeletedParameters", .array(deleted.map { .string($0) })),
                                              ("InvalidParameters", .array(names.filter { !deleted.contains($0) }.map { .string($0) }))]))
            case "AddTagsToResource":
                guard let name = input["ResourceId"]?.stringValue, s.parameters[name] != nil else {
                    return JSONAnswer.error("InvalidResourceId", "The resource ID is not valid.")
                }
                for tag in input["Tags"]?.arrayValue ?? [] {
                    if let k = tag["Key"]?.stringValue { s.parameters[name]?.tags[k] = tag["Value"]?.stringValue ?? "" }
                }
                return JSONAnswer.ok(.object([]))
            case "GetParameterHistory":
                guard let name = input["Name"]?.stringValue, let parameter = s.parameters[name] else { return JSONAnswer.error("ParameterNotFound", "") }
                let decrypt = input["WithDecryption"]?.boolValue ?? false
                let items = parameter.versions.map { v -> JSONValue in
                    .object([("Name", .string(name)), ("Type", .string(v.type)), ("Value", .string(shown(v, decrypt: decrypt))),
                             ("Version", .number(v.version)), ("LastModifiedDate", .number(v.modified)), ("LastModifiedUser", .string(v.user)),
                             ("Labels", .array([]))])
                }
                return JSONAnswer.ok(.object([("Parameters", .array(items))]))
            default:
                return JSONAnswer.error("InvalidAction", "the fake does not serve \(call.operation ?? "?")")
            }
        }
    }

    /// One page of the parameters under a path: names in order, `NextToken` the index of the next.
    private func byPath(_ input: JSONValue, _ s: State) -> HTTPResponse {
        guard let path = input["Path"]?.stringValue else { return JSONAnswer.error("ValidationException", "Path is required") }
        let recursive = input["Recursive"]?.boolValue ?? false
        let decrypt = input["WithDecryption"]?.boolValue ?? false
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let under = s.parameters.values.filter { p in
            p.name.hasPrefix(prefix) && (recursive || !p.name.dropFirst(prefix.count).contains("/"))
        }.sorted { $0.name < $1.name }
        let token = input["NextToken"]?.stringValue
        guard token == nil || token!.hasPrefix("page-") else { return JSONAnswer.error("ValidationException", "invalid NextToken") }
        let parts = token.map { $0.dropFirst("page-".count).split(separator: "-").compactMap { Int($0) } } ?? [0, 0]
        let (pageNumber, start) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        let size = min(input["MaxResults"]?.intValue ?? 10, s.byPathPageSize)
        let end = s.emptyPages.contains(pageNumber) ? start : min(under.count, start + size)
        let items = under[start..<end].map { json($0, $0.current, decrypt: decrypt, selector: nil) }
        var out: [(String, JSONValue)] = [("Parameters", .array(items))]
        if end < under.count || s.emptyPages.contains(pageNumber) { out.append(("NextToken", .string("page-\(pageNumber + 1)-\(end)"))) }
        return JSONAnswer.ok(.object(out))
    }

    private func json(_ p: Parameter, _ v: Version, decrypt: Bool, selector: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("Name", .string(p.name)), ("Type", .string(v.type)), ("Value", .string(shown(v, decrypt: decrypt))),
                                             ("Version", .number(v.version)), ("LastModifiedDate", .number(v.modified)),
                                             ("ARN", .string("arn:aws:ssm:\(region):\(account):parameter\(p.name.hasPrefix("/") ? "" : "/")\(p.name)")),
                                             ("DataType", .string("text"))]
        if let selector { fields.append(("Selector", .string(selector))) }
        return .object(fields)
    }

    /// A SecureString read without decryption shows a stand-in for its ciphertext.
    private func shown(_ v: Version, decrypt: Bool) -> String {
        v.type == "SecureString" && !decrypt ? "AQICAHfakeCiphertext\(v.version)==" : v.value
    }

    /// `/a/b:3` → (`/a/b`, `3`).
    static func split(_ name: String) -> (String, String?) {
        guard let colon = name.lastIndex(of: ":") else { return (name, nil) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
}
