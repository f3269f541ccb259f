import AWSClients
import AWSCore
import Synchronization

/// What the `params` commands do, on top of `SSMClient`: validation before any call, paths
/// read concurrently, deletes in batches of ten, bulk writes with bounded concurrency.
public struct ParameterStore: Sendable {
    public let ssm: SSMClient
    /// Writes made at most once, with the run's retry policy.
    public let atMostOnce: AtMostOnce
    /// Reports the running count of a long operation (for a progress line).
    public let progress: @Sendable (String) -> Void
    /// Told which plan read each large tree.
    public let note: @Sendable (String) -> Void

    /// Paths read at once (each path's pages are sequential: they chain by `NextToken`).
    public static let readWidth = 8
    /// Writes at once: PutParameter's default throughput is low; throttling is retried.
    public static let writeWidth = 4

    public init(ssm: SSMClient, progress: @escaping @Sendable (String) -> Void = { _ in }, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.ssm = ssm
        self.atMostOnce = AtMostOnce(core: ssm.core)
        self.progress = progress
        self.note = note
    }

    // MARK: Validation (exit 2, nothing called)

    public static func checkName(_ name: String) throws(AWSError) {
        if let problem = SSMParameterRules.nameProblem(name) { throw .configuration(ConfigurationError(problem)) }
    }

    public static func checkPath(_ path: String) throws(AWSError) {
        if let problem = SSMParameterRules.pathProblem(path) { throw .configuration(ConfigurationError(problem)) }
    }

    /// Every rule `PutParameter` would enforce that can be checked offline.
    public static func check(_ request: PutParameterRequest) throws(AWSError) {
        try checkFields(request)
        try checkValue(request.value, of: request)
    }

    /// The rules on everything but the value: checked before the value is read.
    public static func checkFields(_ request: PutParameterRequest) throws(AWSError) {
        try checkName(request.name)
        let problems = [request.description.flatMap(SSMParameterRules.descriptionProblem),
                        request.keyId != nil && request.type != .secureString ? "--key-id applies only to SecureString parameters" : nil]
            + request.tags.map(\.problem)
        if let problem = problems.compactMap({ $0 }).first { throw .configuration(ConfigurationError(problem)) }
    }

    public static func checkValue(_ value: String, of request: PutParameterRequest) throws(AWSError) {
        if let problem = SSMParameterRules.valueProblem(value, tier: request.tier) {
            throw .configuration(ConfigurationError("\(request.name): \(problem)"))
        }
    }

    // MARK: Reads

    /// One parameter, decrypted; at `version` or `label` when given.
    public func get(_ name: String, version: Int? = nil, label: String? = nil) throws(AWSError) -> Parameter {
        try Self.checkName(name)
        var selector = ""
        if let version {
            guard version >= 1 else { throw .configuration(ConfigurationError("--version must be 1 or more")) }
            selector = ":\(version)"
        } else if let label {
            if let problem = SSMParameterRules.labelProblem(label) { throw .configuration(ConfigurationError(problem)) }
            selector = ":" + label
        }
        return try ssm.getParameter(name + selector)
    }

    /// Every parameter under each path, sorted by name; the paths are read concurrently, large
    /// trees in parallel where the permissions allow (`ParameterBulkRead`; each large tree's plan is
    /// told to `note`).
    public func read(paths: [String], recursive: Bool) throws(AWSError) -> [[Parameter]] {
        for path in paths { try Self.checkPath(path) }
        let reads = try ParameterBulkRead(ssm: ssm, width: Self.readWidth, progress: progress).read(paths: paths, recursive: recursive)
        for r in reads { if let n = r.note { note(n) } }
        return reads.map { $0.parameters.sorted { $0.name < $1.name } }
    }

    /// Every parameter's metadata, page after page (the running count on the progress line).
    public func list(path: String?, recursive: Bool) throws(AWSError) -> [ParameterMetadata] {
        if let path { try Self.checkPath(path) }
        let listed = ProgressCount("listed", "parameters", report: progress)
        return try Paginator.all(operation: "ssm:DescribeParameters", onPage: listed.set) { token throws(AWSError) in
            try ssm.describeParameters(path: path, recursive: recursive, maxResults: 50, nextToken: token)
        }.sorted { $0.name < $1.name }
    }

    public func history(_ name: String, values: Bool) throws(AWSError) -> [ParameterVersion] {
        try Self.checkName(name)
        return try ssm.parameterHistory(name, decrypt: values)
    }

    /// The type of an existing parameter; nil when there is none.
    public func existingType(of name: String) throws(AWSError) -> ParameterType? {
        try ssm.findParameter(name, decrypt: false)?.type
    }

    // MARK: Writes

    /// Writes one parameter and returns its new version. SSM refuses tags together with
    /// `Overwrite`, so an overwrite with tags is a put followed by `AddTagsToResource`.
    public func put(_ request: PutParameterRequest) throws(AWSError) -> Int {
        try Self.check(request)
        guard request.overwrite, !request.tags.isEmpty else { return try putOnce(request) }
        var untagged = request
        untagged.tags = []
        let version = try putOnce(untagged)
        try ssm.addTags(toParameter: request.name, request.tags)
        return version
    }

    /// PutParameter has no request token: after a lost answer the parameter is read back, and a
    /// write that already landed (it holds the value) is not repeated (`AtMostOnce`).
    func putOnce(_ request: PutParameterRequest) throws(AWSError) -> Int {
        try atMostOnce.perform("ssm:PutParameter \(request.name)", write: { () throws(AWSError) in
            try ssm.putParameter(request)
        }, check: { _ throws(AWSError) -> AtMostOnce.Check<Int> in
            guard let current = try ssm.findParameter(request.name, decrypt: true), current.value == request.value,
                  current.type == request.type else { return .notLanded }
            return .landed(current.version)
        })
    }

    /// Deletes in batches of ten, batches concurrently; returns what was deleted and what did not exist.
    public func delete(_ names: [String]) throws(AWSError) -> (deleted: [String], missing: [String]) {
        for name in names { try Self.checkName(name) }
        let batches = stride(from: 0, to: names.count, by: SSMClient.namesPerCall).map {
            Array(names[$0..<min($0 + SSMClient.namesPerCall, names.count)])
        }
        let results = ConcurrentWork.map(batches, width: Self.writeWidth) { [self] batch -> Result<(deleted: [String], invalid: [String]), AWSError> in
            do throws(AWSError) { return .success(try deleteOnce(batch)) } catch { return .failure(error) }
        }
        var deleted: [String] = [], missing: [String] = []
        for result in results {
            switch result {
            case .success(let r): deleted += r.deleted; missing += r.invalid
            case .failure(let error): throw error
            }
        }
        return (deleted, missing)
    }

    /// DeleteParameters at most once: after a lost answer the names are looked up, and a batch
    /// whose names are all gone landed — the names that call deleted are reported as deleted,
    /// not as missing (a name that never existed cannot be told apart then, and counts as deleted).
    func deleteOnce(_ batch: [String]) throws(AWSError) -> (deleted: [String], invalid: [String]) {
        try atMostOnce.perform("ssm:DeleteParameters", write: { () throws(AWSError) in
            try ssm.deleteParameters(batch)
        }, check: { _ throws(AWSError) -> AtMostOnce.Check<(deleted: [String], invalid: [String])> in
            let found = try ssm.getParameters(batch, decrypt: false).found
            return found.isEmpty ? .landed((batch, [])) : .notLanded
        })
    }
}
