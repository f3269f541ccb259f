import AWSCore

/// `secrets get --json-key K`: one field of a secret whose value is a JSON object, as the
/// RDS-style `{"username": …, "password": …}` secrets are.
public enum SecretJSONKey {
    /// The field's text: a string as it is, anything else as compact JSON.
    public static func value(of key: String, in secretString: String, secretName: String) throws(AWSError) -> String {
        guard let document = try? JSONValue.parse(secretString), case .object(let members) = document else {
            throw .configuration(ConfigurationError("\(secretName) is not a JSON object, so --json-key does not apply"))
        }
        guard let value = members.first(where: { $0.0 == key })?.1 else {
            let keys = members.map(\.0).joined(separator: ", ")
            throw .configuration(ConfigurationError("\(secretName) has no key '\(key)' (its keys: \(keys))"))
        }
        if case .string(let s) = value { return s }
        return value.serialized()
    }
}
