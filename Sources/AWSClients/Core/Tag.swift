import AWSCore

/// A resource tag, `key=value`.
public struct Tag: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public var json: JSONValue { .object([("Key", .string(key)), ("Value", .string(value))]) }

    /// SSM's and Secrets Manager's shared rule: keys of 1–128 characters, values of at most 256.
    public var problem: String? {
        guard (1...128).contains(key.count) else { return "tag key '\(key.prefix(40))' must be 1 to 128 characters" }
        guard value.count <= 256 else { return "the value of tag '\(key)' is longer than 256 characters" }
        return nil
    }
}
