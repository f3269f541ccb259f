import AWSClients
import AWSCore

/// What each `secrets` command does: every rule checked before any call (exit 2, nothing
/// written), writes made once (a `ClientRequestToken` for create and put; DeleteSecret, which
/// has none, reconciled by looking after a lost answer).
public struct SecretsWorkflow: Sendable {
    public let session: AWSSession
    /// Running counts of long listings (a progress line on a terminal).
    public let progress: @Sendable (String) -> Void

    public init(session: AWSSession, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.session = session
        self.progress = progress
    }

    static func check(_ problems: [String?]) throws(AWSError) {
        if let problem = problems.compactMap({ $0 }).first { throw .configuration(ConfigurationError(problem)) }
    }

    /// The value (bytes to print: the string, one JSON field of it, or the binary secret) and the record.
    public func get(_ id: String, jsonKey: String?, versionId: String?, versionStage: String?) throws(AWSError) -> (value: [UInt8], report: Report) {
        try Self.check([SecretsManagerRules.idProblem(id)])
        let secret = try session.secretsManager().getSecretValue(id, versionId: versionId, versionStage: versionStage)
        let report = SecretsReport.value(secret)
        if let text = secret.secretString {
            let value = try jsonKey.map { key throws(AWSError) in try SecretJSONKey.value(of: key, in: text, secretName: secret.name) } ?? text
            return (Array((value + "\n").utf8), report)
        }
        if jsonKey != nil { throw .configuration(ConfigurationError("\(secret.name) is a binary secret, so --json-key does not apply")) }
        return (secret.secretBinary ?? [], report)
    }

    /// `value` is read only after every other rule passed.
    public func create(_ name: String, description: String?, kmsKeyId: String?, tags: [Tag], value: () throws -> String) throws -> Report {
        try Self.check([SecretsManagerRules.nameProblem(name), description.flatMap(SecretsManagerRules.descriptionProblem)] + tags.map(\.problem))
        let secrets = try session.secretsManager()
        let text = try value()
        try Self.check([SecretsManagerRules.valueProblem(text)])
        return SecretsReport.written(try secrets.createSecret(CreateSecretRequest(name: name, secretString: text, description: description,
                                                                                   kmsKeyId: kmsKeyId, tags: tags)))
    }

    public func put(_ id: String, value: () throws -> String) throws -> Report {
        try Self.check([SecretsManagerRules.idProblem(id)])
        let secrets = try session.secretsManager()
        let text = try value()
        try Self.check([SecretsManagerRules.valueProblem(text)])
        return SecretsReport.written(try secrets.putSecretValue(id, secretString: text))
    }

    public func describe(_ id: String) throws(AWSError) -> Report {
        try Self.check([SecretsManagerRules.idProblem(id)])
        return SecretsReport.metadata(try session.secretsManager().describeSecret(id))
    }

    public func list(namePrefix: String?) throws(AWSError) -> Report {
        let listed = ProgressCount("listed", "secrets", report: progress)
        return SecretsReport.list(try session.secretsManager().listAllSecrets(namePrefix: namePrefix, onPage: listed.set))
    }

    /// DeleteSecret at most once: after a lost answer the secret is described, and one already
    /// scheduled for deletion (or gone, with `force`) counts as deleted.
    public func delete(_ id: String, recoveryWindowDays: Int?, force: Bool) throws(AWSError) -> Report {
        try Self.check([SecretsManagerRules.idProblem(id), recoveryWindowDays.flatMap(SecretsManagerRules.recoveryWindowProblem)])
        let secrets = try session.secretsManager()
        let result = try session.atMostOnce().perform("secretsmanager:DeleteSecret", write: { () throws(AWSError) in
            try secrets.deleteSecret(id, recoveryWindowDays: recoveryWindowDays, force: force)
        }, check: { _ throws(AWSError) -> AtMostOnce.Check<(ref: SecretVersionRef, deletionDate: Int?)> in
            let d: SecretMetadata
            do throws(AWSError) { d = try secrets.describeSecret(id) } catch where error.isService(.resourceNotFound) && force {
                return .landed((SecretVersionRef(arn: id.hasPrefix("arn:") ? id : "", name: id, versionId: nil), nil))
            }
            guard d.deletionDate != nil else { return .notLanded }
            return .landed((SecretVersionRef(arn: d.arn, name: d.name, versionId: nil), d.deletionDate))
        })
        return .record([ReportField("Name", "Name", .text(result.ref.name)), ReportField("ARN", "ARN", .text(result.ref.arn)),
                        ReportField("DeletionDate", "Deletion date", .date(result.deletionDate))])
    }

    public func tag(_ id: String, tags: [Tag]) throws(AWSError) -> Report {
        try Self.check([SecretsManagerRules.idProblem(id)] + tags.map(\.problem))
        try session.secretsManager().tagResource(id, tags: tags)
        return .record([ReportField("SecretId", "Tagged", .text(id)),
                        ReportField("Tags", "Tags", .list(tags.map { .record([ReportField("Key", "", .text($0.key)), ReportField("Value", "", .text($0.value))]) }),
                                    display: tags.map { "\($0.key)=\($0.value)" }.joined(separator: " "))])
    }
}
