import AWSCore

/// Token files (web identity, container authorization), read afresh each time because their
/// owners rotate them.
enum TokenFile {
    /// The file's text as it is; `origin` says where its path came from, for messages.
    static func read(_ path: String, origin: String) throws(AWSError) -> String {
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path) } catch { throw .noCredentials("\(error) (\(origin))") }
        guard let bytes else { throw .noCredentials("the token file \(path) (from \(origin)) does not exist") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
