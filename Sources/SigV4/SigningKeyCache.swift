import Synchronization

/// Remembers derived signing keys: the four HMACs of the key derivation are done once per
/// secret, day, region and service rather than once per request.
public final class SigningKeyCache: Sendable {
    private struct Scope: Hashable {
        let secret: String
        let date: String
        let region: String
        let service: String
    }

    private let keys = Mutex<[Scope: [UInt8]]>([:])
    private let capacity: Int

    public init(capacity: Int = 16) { self.capacity = capacity }

    public func key(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let scope = Scope(secret: secret, date: date, region: region, service: service)
        if let cached = keys.withLock({ $0[scope] }) { return cached }
        let derived = Self.derive(secret: secret, date: date, region: region, service: service)
        keys.withLock { table in
            if table.count >= capacity { table.removeAll() }
            table[scope] = derived
        }
        return derived
    }

    public static func derive(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let kDate = Digest.hmacSHA256(key: Array(("AWS4" + secret).utf8), data: Array(date.utf8))
        let kRegion = Digest.hmacSHA256(key: kDate, data: Array(region.utf8))
        let kService = Digest.hmacSHA256(key: kRegion, data: Array(service.utf8))
        return Digest.hmacSHA256(key: kService, data: Array("aws4_request".utf8))
    }
}
