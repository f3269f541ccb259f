import AWSCore
import Workflows

/// A file named on the command line (`-d @FILE`, `--value-file FILE`, an import file), or
/// standard input for `-`.
enum InputFile {
    /// The whole content. Errors start with `label`, which names the input as the user gave it.
    static func read(_ path: String, label: String) throws -> [UInt8] {
        if path == "-" {
            guard let bytes = LocalFile.readAll(fileDescriptor: 0) else { throw CommandInputError("\(label): cannot read standard input") }
            return bytes
        }
        do {
            guard let bytes = try LocalFile.read(path) else { throw CommandInputError("\(label): no such file") }
            return bytes
        } catch let e as LocalFile.ReadError {
            throw CommandInputError("\(label): \(e.reason)")
        }
    }
}
