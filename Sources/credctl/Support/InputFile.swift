import AWSCore
import Workflows

/// A file named on the command line (`-d @FILE`, `--value-file FILE`, an import file), or
/// standard input for `-`.
enum InputFile {
    /// The whole content. Errors start with `label`, which names the input as the user gave it.
    static func read(_ path: String, label: String) throws -> [UInt8] {
        if path == "-" {
            switch LocalFile.readAll(fileDescriptor: 0, limit: LocalFile.defaultLimit) {
            case .bytes(let bytes): return bytes
            case .tooLarge: throw CommandInputError("\(label): standard input is larger than \(FileCheck.size(LocalFile.defaultLimit)), more than credctl reads")
            case .failed(let reason): throw CommandInputError("\(label): cannot read standard input: \(reason)")
            }
        }
        do {
            guard let bytes = try LocalFile.read(path, owner: .commandLine) else { throw CommandInputError("\(label): no such file") }
            return bytes
        } catch let e as LocalFile.ReadError {
            throw CommandInputError("\(label): \(e.reason)")
        }
    }
}
