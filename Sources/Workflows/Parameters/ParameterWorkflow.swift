import AWSClients
import AWSCore

/// What each `params` command does, from resolved names to a report: the commands only parse.
public struct ParameterWorkflow: Sendable {
    public let session: AWSSession
    public let root: ParameterRoot
    /// Running counts of long operations (a progress line on a terminal).
    public let progress: @Sendable (String) -> Void
    /// Notes for people (which plan read a large tree): stderr, silent with `--quiet`.
    public let note: @Sendable (String) -> Void

    public init(session: AWSSession, prefix: String?, env: String?, progress: @escaping @Sendable (String) -> Void = { _ in },
                note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.session = session
        self.root = ParameterRoot.resolve(prefix: prefix, env: env, environment: session.environment)
        self.progress = progress
        self.note = note
    }

    func store() throws(AWSError) -> ParameterStore { ParameterStore(ssm: try session.ssm(), progress: progress, note: note) }

    /// One parameter: its value (printed bare, for `$(…)`) and its record (`--output json`).
    public func get(_ name: String, version: Int?, label: String?) throws(AWSError) -> (value: String, report: Report) {
        let p = try store().get(root.fullName(name), version: version, label: label)
        return (p.value, ParameterReport.parameter(p))
    }

    public func getPath(_ path: String, recursive: Bool) throws(AWSError) -> Report {
        let full = root.fullPath(path)
        let parameters = try store().read(paths: [full], recursive: recursive)[0]
        return ParameterReport.values(parameters.map { (ParameterRoot.relativeName($0.name, under: full), $0.value) })
    }

    /// `params put`: every rule but the value's is checked before `value` is read.
    public func put(_ request: PutParameterRequest, typeGiven: Bool, value: () throws -> String) throws -> Report {
        var request = request
        request.name = root.fullName(request.name)
        try ParameterStore.checkFields(request)
        request.value = try value()
        try ParameterStore.checkValue(request.value, of: request)
        let store = try store()
        if !typeGiven, request.overwrite { request.type = try store.existingType(of: request.name) ?? request.type }
        let version = try store.put(request)
        return .record([ReportField("Name", "Name", .text(request.name)), ReportField("Version", "Version", .number(version)),
                        ReportField("Type", "Type", .text(request.type.rawValue))])
    }

    /// Deleted names, and an error (exit 4) after the report when a name did not exist.
    public func delete(_ names: [String]) throws -> Report {
        let result = try store().delete(names.map(root.fullName))
        let report = Report.record([ReportField("Deleted", "Deleted", .texts(result.deleted), display: result.deleted.joined(separator: " ")),
                                    ReportField("NotFound", "Not found", .texts(result.missing),
                                                display: result.missing.isEmpty ? nil : result.missing.joined(separator: " "))])
        if !result.missing.isEmpty {
            throw ReportedFailure(report: report, error: .notFound("not found: \(result.missing.joined(separator: ", "))"))
        }
        return report
    }

    public func list(_ path: String?, recursive: Bool) throws(AWSError) -> Report {
        ParameterReport.metadata(try store().list(path: path.map(root.fullPath) ?? root.path, recursive: recursive))
    }

    public func history(_ name: String, values: Bool) throws(AWSError) -> Report {
        ParameterReport.history(try store().history(root.fullName(name), values: values), values: values)
    }

    /// The parameters under `paths` as variables; a path with none is an error (exit 4), so
    /// that a typo never runs a program with an empty configuration.
    public func variables(_ paths: [String], recursive: Bool, allowing allowed: Set<String>) throws(AWSError) -> ParameterVariables {
        let full = paths.map(root.fullPath)
        let results = try store().read(paths: full, recursive: recursive)
        var variables = ParameterVariables(allowing: allowed)
        for (path, parameters) in zip(full, results) {
            if parameters.isEmpty {
                throw .notFound("no parameters under \(path)\(recursive ? "" : " (only the level directly under it was read; add --recursive for deeper ones)")")
            }
            try variables.add(parameters, from: path)
        }
        return variables
    }

    /// `params import` of a file's bytes (dotenv or JSON; `label` names the file in errors).
    public func importFile(_ bytes: [UInt8], label: String, format: ImportFile.Format?, under path: String, type: ParameterType,
                           tier: ParameterTier?, keyId: String?, overwrite: Bool, dryRun: Bool) throws -> Report {
        let entries: [(name: String, value: String)]
        do { entries = try ImportFile.parse(bytes, format: format) } catch {
            throw AWSError.configuration(ConfigurationError("\(label): \(error)"))
        }
        if entries.isEmpty { throw AWSError.configuration(ConfigurationError("\(label) holds no entries")) }
        return try importEntries(entries, under: path, type: type, tier: tier, keyId: keyId, overwrite: overwrite, dryRun: dryRun)
    }

    /// The entries planned against what exists, then written (or, for a dry run, shown).
    public func importEntries(_ entries: [(name: String, value: String)], under path: String, type: ParameterType, tier: ParameterTier?,
                              keyId: String?, overwrite: Bool, dryRun: Bool) throws -> Report {
        let fullPath = root.fullPath(path)
        try ParameterStore.checkPath(fullPath)
        let full = entries.map { (name: ParameterRoot.name($0.name, under: fullPath), value: $0.value, type: type) }
        // Offline checks before reading what exists.
        _ = try ParameterTransfer(entries: full, existing: [], overwrite: overwrite, tier: tier)
        let store = try store()
        let existing = try store.read(paths: [fullPath], recursive: true)[0]
        let plan = try ParameterTransfer(entries: full, existing: existing, overwrite: overwrite, tier: tier)
        return try finish(plan, store: store, keyId: keyId, dryRun: dryRun)
    }

    /// `params copy`: the tree under `source` planned against `destination`, then written.
    public func copy(from source: String, to destination: String, keyId: String?, overwrite: Bool, tags: Bool = false, dryRun: Bool) throws -> Report {
        let src = root.fullPath(source), dst = root.fullPath(destination)
        try ParameterStore.checkPath(src)
        try ParameterStore.checkPath(dst)
        if ParameterRoot.name("", under: src) == ParameterRoot.name("", under: dst) {
            throw AWSError.configuration(ConfigurationError("the source and destination are the same path"))
        }
        let store = try store()
        let read = try store.read(paths: [src, dst], recursive: true)
        if read[0].isEmpty { throw AWSError.configuration(ConfigurationError("no parameters under \(src)")) }
        let requests = try ParameterCopy.requests(read[0], from: src, to: dst, store: store, tags: tags)
        let plan = try ParameterTransfer(requests: requests, existing: read[1], overwrite: overwrite)
        return try finish(plan, store: store, keyId: keyId, dryRun: dryRun, copy: true)
    }

    func finish(_ plan: ParameterTransfer, store: ParameterStore, keyId: String?, dryRun: Bool, copy: Bool = false) throws -> Report {
        if dryRun { return ParameterReport.transfer(plan, outcomes: nil, copy: copy) }
        let outcomes = try plan.apply(store, keyId: keyId)
        let report = ParameterReport.transfer(plan, outcomes: outcomes, copy: copy)
        let failures = outcomes.compactMap(\.error)
        if let first = failures.first {
            let error: AWSError
            switch first {
            case .service(var e):
                e.message = "\(failures.count) of \(outcomes.count) write(s) failed; the others were written. First: \(e.message)"
                error = .service(e)
            default: error = first
            }
            throw ReportedFailure(report: report, error: error)
        }
        return report
    }
}
