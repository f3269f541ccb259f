/// What may be shown of secrets and credentials.
public enum Redaction {
    /// Headers whose whole value is a secret.
    static let secretHeaders: Set<String> = ["x-amz-security-token", "x-aws-ec2-metadata-token", "cookie", "set-cookie", "proxy-authorization",
                                             "x-amz-sso_bearer_token", "dpop"]

    /// The `Authorization` header keeps its scope and signed headers; the signature and any
    /// other scheme's value are hidden.
    public static func headerValue(name: String, value: String) -> String {
        let lower = name.lowercased()
        if secretHeaders.contains(lower) { return "<redacted>" }
        if lower == "authorization" {
            guard value.hasPrefix("AWS4-HMAC-SHA256 "), let sig = value.firstRange(of: "Signature=") else { return "<redacted>" }
            return String(value[..<sig.upperBound]) + "<redacted>"
        }
        return value
    }

    /// `AKIA************MPLE`: the prefix and the last four characters of a key id.
    public static func keyId(_ id: String) -> String {
        guard id.count > 8 else { return String(repeating: "*", count: id.count) }
        return String(id.prefix(4)) + String(repeating: "*", count: id.count - 8) + String(id.suffix(4))
    }

    /// `****************EKEY`: only the last four characters of a secret, as `aws configure list`.
    public static func secret(_ secret: String) -> String {
        guard secret.count > 4 else { return String(repeating: "*", count: secret.count) }
        return String(repeating: "*", count: 16) + String(secret.suffix(4))
    }
}
