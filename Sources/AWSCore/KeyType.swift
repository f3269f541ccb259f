/// What an access key id says of its key: AKIA keys are long-term (an IAM user's or the root's);
/// ASIA keys are temporary (from STS) and work only with their session token. The one place
/// that reads the prefix.
public enum KeyType: String, Sendable {
    case longTerm = "long-term (AKIA)"
    case temporary = "temporary (ASIA)"
    case unknown = "unknown"

    public init(accessKeyId: String) {
        if accessKeyId.hasPrefix("AKIA") { self = .longTerm }
        else if accessKeyId.hasPrefix("ASIA") { self = .temporary }
        else { self = .unknown }
    }
}
