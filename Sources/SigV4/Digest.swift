import CCrypto

/// SHA-256, HMAC-SHA256 (and SHA-1, for SSO cache file names) on OpenSSL's libcrypto (through the shim's wrappers). The only
/// file of this module that touches C.
public enum Digest {
    public static let sha256Length = 32

    /// SHA-256 of `bytes`.
    public static func sha256<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha256Length)
        bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                credctl_sha256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return out
    }

    public static let sha1Length = 20

    /// SHA-1 of `bytes`: only for file names that botocore derives with it (the SSO token
    /// cache), never for anything that needs a secure hash.
    public static func sha1<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha1Length)
        bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                credctl_sha1(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return out
    }

    /// HMAC-SHA256 of `data` under `key`.
    public static func hmacSHA256<Key: ContiguousBytes, Data: ContiguousBytes>(key: Key, data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha256Length)
        key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                out.withUnsafeMutableBufferPointer { output in
                    credctl_hmac_sha256(keyBytes.baseAddress, keyBytes.count, dataBytes.baseAddress, dataBytes.count, output.baseAddress)
                }
            }
        }
        return out
    }
}

/// Lets `String.UTF8View` be hashed without copying where possible.
public protocol ContiguousBytes {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension UnsafeRawBufferPointer: ContiguousBytes {
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(self) }
}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
