import SecretCrypto

/// The scrypt settings a vault file records: the cost (N, r, p) and its random salt.
public struct ScryptParameters: Sendable, Equatable {
    public var n: UInt64
    public var r: UInt64
    public var p: UInt64
    public var salt: [UInt8]

    /// N = 2^16, r = 7, p = 2: scrypt's memory is 128·r·N = 56 MiB (plus 2 KiB of buffers),
    /// under 64 MiB as it must be on small machines and CI runners; p = 2 doubles the work
    /// without more memory. Measured about 0.25 s on a shared 2-core server (docs/vault.md),
    /// paid once per unlock, never on a cached-session read.
    public static let defaultCost = (n: UInt64(1) << 16, r: UInt64(7), p: UInt64(2))
    public static let saltLength = 16
    /// What a file may ask for at most, so that a damaged or hostile file cannot make
    /// credctl allocate gigabytes or spin for minutes.
    public static let maximumMemory: UInt64 = 256 << 20
    static let maximumWork: UInt64 = 1 << 24

    public init(n: UInt64, r: UInt64, p: UInt64, salt: [UInt8]) {
        self.n = n
        self.r = r
        self.p = p
        self.salt = salt
    }

    /// `cost` (the default unless a test asks for less) with a fresh random salt.
    public static func fresh(cost: (n: UInt64, r: UInt64, p: UInt64) = defaultCost) throws(VaultError) -> ScryptParameters {
        do {
            return ScryptParameters(n: cost.n, r: cost.r, p: cost.p, salt: try SecretCrypto.randomBytes(saltLength))
        } catch {
            throw .io("cannot draw random bytes: \(error)")
        }
    }

    /// Bytes scrypt allocates: its N·r table and its p·r blocks (OpenSSL's own accounting).
    public var memoryBytes: UInt64 { 128 * r * (n + 2) + 128 * r * p }

    /// Why a file's parameters are unusable, or nil.
    public var problem: String? {
        if n < 2 || n & (n - 1) != 0 { return "scrypt N=\(n) is not a power of two" }
        if n > 1 << 22 { return "scrypt N=\(n) is larger than 2^22" }
        if r == 0 || p == 0 || r > 64 || p > 64 { return "scrypt r=\(r), p=\(p) are out of range" }
        if memoryBytes > Self.maximumMemory { return "scrypt N=\(n), r=\(r) needs more than 256 MiB" }
        if n * r * p > Self.maximumWork { return "scrypt N=\(n), r=\(r), p=\(p) is more work than credctl allows" }
        if salt.count < 16 { return "the scrypt salt is shorter than 16 bytes" }
        return nil
    }
}

/// The 32-byte key derived from a passphrase, wiped when the last reference goes. Its bytes
/// never change while it lives (only `deinit` wipes them), so it can be shared between threads.
public final class VaultKey: @unchecked Sendable {
    private(set) var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Derives the key of `passphrase` under `parameters`, then wipes the passphrase.
    public static func derive(passphrase: inout [UInt8], parameters: ScryptParameters) throws(VaultError) -> VaultKey {
        defer { SecretCrypto.wipe(&passphrase) }
        if let problem = parameters.problem { throw .invalidInput(problem) }
        do {
            let key = try SecretCrypto.scrypt(passphrase: passphrase, salt: parameters.salt, n: parameters.n, r: parameters.r,
                                              p: parameters.p, maxMemory: parameters.memoryBytes + (1 << 20))
            return VaultKey(bytes: key)
        } catch {
            throw .io("scrypt failed: \(error)")
        }
    }

    func seal(_ plaintext: [UInt8], associatedData: [UInt8]) throws(VaultError) -> [UInt8] {
        do { return try SecretCrypto.seal(plaintext, key: bytes, associatedData: associatedData).combined } catch {
            throw .io("cannot encrypt: \(error)")
        }
    }

    /// The plaintext, or nil when the bytes do not verify under this key and associated data.
    func open(_ combined: [UInt8], associatedData: [UInt8]) -> [UInt8]? {
        guard let sealed = SecretCrypto.Sealed(combined: combined) else { return nil }
        return try? SecretCrypto.open(sealed, key: bytes, associatedData: associatedData)
    }

    deinit { SecretCrypto.wipe(&bytes) }
}
