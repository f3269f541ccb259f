import AWSClients
import AWSCore

/// `secretsmanager:ID`: a JSON secret whose key id and secret fields are replaced, every other
/// field kept. The write is `PutSecretValue` with a request token chosen (and journaled) before
/// it, so a retry or a later run makes one version, which becomes `AWSCURRENT`; the restore
/// moves `AWSCURRENT` back to the version it was on.
struct SecretsManagerDestination: KeyDestination {
    let id: String
    let idField: String
    let secretField: String
    let client: SecretsManagerClient

    var spec: DestinationSpec { .secretsManager(id: id, idField: idField, secretField: secretField) }
    var isReadable: Bool { true }

    func holding() throws(AWSError) -> DestinationHolding {
        try holding(of: try object(try current()))
    }

    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError) {}

    /// The version `AWSCURRENT` is on (the one a restore goes back to), and the request token,
    /// which is the new version's id: both saved before the write.
    func prepare(_ record: inout DestinationRecord) throws(AWSError) {
        if record.secretVersionBefore == nil {
            guard let version = try current().versionId else {
                throw .invalidResponse(operation: "secretsmanager:GetSecretValue", detail: "VersionId missing")
            }
            record.secretVersionBefore = version
        }
        if record.secretVersionWritten == nil { record.secretVersionWritten = IdempotencyToken.make() }
    }

    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError) {
        let now = try current()
        let members = try object(now)
        if let held = try holding(of: members).keyId, held != oldKeyId, held != key.id {
            throw .configuration(ConfigurationError("\(spec) now holds \(held), not \(oldKeyId) (changed while rotating)"))
        }
        guard let token = record.secretVersionWritten, let before = record.secretVersionBefore else {
            throw .configuration(ConfigurationError("\(spec): the write was not prepared"))
        }
        guard now.versionId == before || now.versionId == token else {
            throw .configuration(ConfigurationError("\(spec) got a new version (\(now.versionId ?? "unknown")) while rotating"))
        }
        let updated = Self.setting([(idField, key.id), (secretField, key.secret)], in: members)
        _ = try client.putSecretValue(id, secretString: JSONValue.object(updated).serialized(), clientRequestToken: token)
    }

    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError) {
        guard let before = record.secretVersionBefore, let written = record.secretVersionWritten else { return }
        let now = try current()
        if now.versionId == before { return }
        guard now.versionId == written else {
            throw .configuration(ConfigurationError(
                "\(spec) changed after the rotation wrote it (AWSCURRENT is now version \(now.versionId ?? "unknown")); its version \(before) holds the old key"))
        }
        try client.updateSecretVersionStage(id, stage: "AWSCURRENT", toVersion: before, fromVersion: written)
    }

    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair? {
        guard let before = record.secretVersionBefore else { return nil }
        return try holding(of: try object(try client.getSecretValue(id, versionId: before))).pair
    }

    /// The `AWSCURRENT` version, asked for by its label (what a consumer reads by default).
    func current() throws(AWSError) -> SecretValue {
        try client.getSecretValue(id, versionStage: "AWSCURRENT")
    }

    // MARK: The secret's JSON

    /// The secret's members; a value that is not a JSON object (or is binary) is refused.
    func object(_ value: SecretValue) throws(AWSError) -> [(String, JSONValue)] {
        guard let text = value.secretString, case .object(let members)? = try? JSONValue.parse(text) else {
            throw .configuration(ConfigurationError(
                "\(spec) does not hold a JSON object; credctl rotate replaces the \(idField) and \(secretField) fields of a JSON secret"))
        }
        return members
    }

    static func holding(of members: [(String, JSONValue)], idField: String, secretField: String, spec: String) throws(AWSError) -> DestinationHolding {
        let id = members.last { $0.0 == idField }?.1, secret = members.last { $0.0 == secretField }?.1
        switch (id, secret) {
        case (nil, nil): return .nothing
        case (.string(let i)?, .string(let s)?): return .key(AccessKeyPair(id: i, secret: s))
        default:
            throw .configuration(ConfigurationError("\(spec) must hold both \(idField) and \(secretField) as strings, or neither"))
        }
    }

    func holding(of members: [(String, JSONValue)]) throws(AWSError) -> DestinationHolding {
        try Self.holding(of: members, idField: idField, secretField: secretField, spec: spec.description)
    }

    /// The members with each field set (every occurrence of a duplicated name), missing ones appended.
    static func setting(_ fields: [(String, String)], in members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var out = members
        for (name, value) in fields {
            var found = false
            for i in out.indices where out[i].0 == name {
                out[i].1 = .string(value)
                found = true
            }
            if !found { out.append((name, .string(value))) }
        }
        return out
    }
}

extension DestinationHolding {
    var pair: AccessKeyPair? { if case .key(let k) = self { return k } else { return nil } }
}
