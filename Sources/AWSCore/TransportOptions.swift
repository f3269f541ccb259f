/// How the transport connects: timeouts, trust and proxies, resolved once from flags and
/// environment so that the transport itself reads neither.
public struct TransportOptions: Sendable, Equatable {
    /// Seconds to establish a connection (AWS CLI: `--cli-connect-timeout`, default 60).
    public var connectTimeout: Double
    /// Seconds without receiving data before giving up (`--cli-read-timeout`, default 60).
    public var readTimeout: Double
    /// A cap on the whole exchange (connect, send, every byte of the answer), however slowly
    /// the answer trickles in: `--cli-total-timeout` for the AWS calls, a short one for the
    /// metadata endpoints' fast failure. Every exchange has one.
    public var totalTimeout: Double
    /// A CA bundle file (`AWS_CA_BUNDLE`); the system's trust store otherwise.
    public var caBundle: String?
    public var httpProxy: String?
    public var httpsProxy: String?
    public var noProxy: String?
    /// The largest response body accepted. AWS API answers are small (a DynamoDB page is at most
    /// 1 MB); a bigger one is a broken server or proxy, refused before it fills memory.
    public var maxResponseBytes: Int

    public static let defaultMaxResponseBytes = 8 << 20

    public init(connectTimeout: Double = 60, readTimeout: Double = 60, totalTimeout: Double = 120,
                caBundle: String? = nil, httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil,
                maxResponseBytes: Int = TransportOptions.defaultMaxResponseBytes) {
        self.maxResponseBytes = maxResponseBytes
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.caBundle = caBundle
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }
}
