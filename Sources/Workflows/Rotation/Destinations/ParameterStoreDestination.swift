import AWSClients
import AWSCore

/// `ssm:/PATH`: `PATH/AWS_ACCESS_KEY_ID` (String) and `PATH/AWS_SECRET_ACCESS_KEY`
/// (SecureString, under the KMS key it already uses), each overwritten at most once
/// (`ParameterStore.putOnce`: after a lost answer the value is read back, never sent twice
/// blindly). A restore writes the old values back, or deletes parameters the rotation created.
/// Between the two writes a reader may see the new id with the old secret; the old key stays
/// active until the rotation ends, so a reader that retries gets a working pair.
struct ParameterStoreDestination: KeyDestination {
    let path: String
    let store: ParameterStore

    var spec: DestinationSpec { .parameterStore(path: path) }
    var isReadable: Bool { true }
    var idName: String { path + "/" + DestinationSpec.parameterIdName }
    var secretName: String { path + "/" + DestinationSpec.parameterSecretName }

    /// Both parameters as they are now (nil for one that does not exist).
    func parameters() throws(AWSError) -> (id: Parameter?, secret: Parameter?) {
        let found = try store.ssm.getParameters([idName, secretName], decrypt: true).found
        return (found.first { $0.name == idName }, found.first { $0.name == secretName })
    }

    func holding() throws(AWSError) -> DestinationHolding {
        let p = try parameters()
        switch (p.id, p.secret) {
        case (nil, nil): return .nothing
        case (let id?, let secret?): return .key(AccessKeyPair(id: id.value, secret: secret.value))
        case (nil, _?): throw half(missing: idName)
        case (_?, nil): throw half(missing: secretName)
        }
    }

    /// Both parameters moved past the versions noted before the write (the new key), neither did
    /// (what was there), or only one did: a half-written pair, `.unknown`.
    func holding(record: DestinationRecord) throws(AWSError) -> DestinationHolding {
        let p = try parameters()
        guard record.mayHoldNewKey, let before = record.parameterVersionsBefore, before.count == 2 else {
            guard let id = p.id, let secret = p.secret else { return p.id == nil && p.secret == nil ? .nothing : .unknown }
            return .key(AccessKeyPair(id: id.value, secret: secret.value))
        }
        guard let id = p.id, let secret = p.secret else { return .unknown }
        if (id.version > before[0]) != (secret.version > before[1]) { return .unknown }
        return .key(AccessKeyPair(id: id.value, secret: secret.value))
    }

    func half(missing: String) -> AWSError {
        .configuration(ConfigurationError("\(spec) holds only one of its two parameters (\(missing) does not exist); put both, or neither"))
    }

    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError) {
        if let secret = try parameters().secret, secret.type != .secureString {
            throw .configuration(ConfigurationError(
                "\(secretName) is a \(secret.type.rawValue) parameter: the secret would be stored unencrypted; make it a SecureString first"))
        }
    }

    /// The versions holding the old key (nil: the rotation creates the parameters).
    func prepare(_ record: inout DestinationRecord) throws(AWSError) {
        guard record.parameterVersionsBefore == nil else { return }
        let p = try parameters()
        if let id = p.id, let secret = p.secret { record.parameterVersionsBefore = [id.version, secret.version] }
    }

    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError) {
        let p = try parameters()
        if let held = p.id?.value, held != oldKeyId, held != key.id {
            throw .configuration(ConfigurationError("\(idName) now holds \(held), not \(oldKeyId) (changed while rotating)"))
        }
        try put(key, over: p)
    }

    /// Writes the key id, then the secret, each unless it holds that value already (a run
    /// finishing an interrupted one adds no version).
    func put(_ key: AccessKeyPair, over p: (id: Parameter?, secret: Parameter?)) throws(AWSError) {
        if p.id?.value != key.id {
            _ = try store.putOnce(PutParameterRequest(name: idName, value: key.id, type: p.id?.type ?? .string, overwrite: true))
        }
        if p.secret?.value != key.secret {
            _ = try store.putOnce(PutParameterRequest(name: secretName, value: key.secret, type: .secureString, overwrite: true,
                                                      keyId: try secretKeyId()))
        }
    }

    /// The KMS key of the existing secret parameter (an overwrite without one would move it to
    /// the account's default key).
    func secretKeyId() throws(AWSError) -> String? {
        try store.ssm.describeAllParameters(path: path, recursive: false).first { $0.name == secretName }?.keyId
    }

    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError) {
        let p = try parameters()
        // The id is written first: when it is not the new one, nothing of the new key is there.
        guard p.id?.value == newKeyId else { return }
        guard record.parameterVersionsBefore != nil else {
            // The rotation created them.
            _ = try store.delete([idName, secretName])
            return
        }
        guard let old else {
            throw .configuration(ConfigurationError("the old key's secret is not known, so \(spec) cannot get it back"))
        }
        // The secret first: the key id written last says the pair is whole again.
        if p.secret?.value != old.secret {
            _ = try store.putOnce(PutParameterRequest(name: secretName, value: old.secret, type: .secureString, overwrite: true,
                                                      keyId: try secretKeyId()))
        }
        _ = try store.putOnce(PutParameterRequest(name: idName, value: old.id, type: p.id?.type ?? .string, overwrite: true))
    }

    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair? {
        guard let versions = record.parameterVersionsBefore, versions.count == 2 else { return nil }
        let id = try store.ssm.getParameter("\(idName):\(versions[0])", decrypt: true)
        let secret = try store.ssm.getParameter("\(secretName):\(versions[1])", decrypt: true)
        return AccessKeyPair(id: id.value, secret: secret.value)
    }
}
