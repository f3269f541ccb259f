/// What SigV4 needs of an HTTP request: bytes in, headers out. Knows nothing of transport.
public struct SignableRequest: Sendable {
    public var method: String
    /// The path as it goes on the wire (already percent-encoded, or raw as in the test vectors).
    public var path: String
    /// The raw query string, without the `?`.
    public var query: String
    /// Headers in the order given; repeated names allowed.
    public var headers: [(name: String, value: String)]
    public var payload: Payload

    public enum Payload: Sendable {
        /// The body; its SHA-256 is signed.
        case bytes([UInt8])
        /// A hex SHA-256 computed elsewhere.
        case precomputedHash(String)
        /// `UNSIGNED-PAYLOAD`.
        case unsigned
    }

    public init(method: String, path: String, query: String = "",
                headers: [(name: String, value: String)] = [], payload: Payload = .bytes([])) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }

    public var payloadHash: String {
        switch payload {
        case .bytes(let body): return Hex.encode(Digest.sha256(body))
        case .precomputedHash(let hash): return hash
        case .unsigned: return "UNSIGNED-PAYLOAD"
        }
    }
}
