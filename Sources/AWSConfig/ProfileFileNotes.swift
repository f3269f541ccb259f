import AWSCore

/// A warning about one line of a shared file: where other AWS SDKs (Java, Go, JavaScript,
/// Rust, .NET… which follow the SDKs' common profile-file specification) read it differently
/// from the AWS CLI, or where the AWS CLI silently ignores what the line says. credctl reads
/// every file as the AWS CLI does; these notes explain why another tool may not.
public struct ProfileFileNote: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// "other AWS SDKs read FILE:LINE differently: …"
        case otherSDKsDiffer = "other-sdks-differ"
        /// "the AWS CLI ignores FILE:LINE: …"
        case ignoredByAWSCLI = "ignored-by-aws-cli"
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    /// The whole sentence, naming FILE:LINE; it quotes at most 12 characters of any name, key
    /// or value taken from the file.
    public var message: String

    public init(kind: Kind, file: String, line: Int, detail: String) {
        self.kind = kind
        self.file = file
        self.line = line
        switch kind {
        case .otherSDKsDiffer: message = "other AWS SDKs read \(file):\(line) differently: \(detail)"
        case .ignoredByAWSCLI: message = "the AWS CLI ignores \(file):\(line): \(detail)"
        }
    }

    public var location: String { "\(file):\(line)" }
    public var description: String { message }
}

public enum ProfileFileNotes {
    /// A file's path and text.
    public struct Source: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// Notes on both files as the environment names them. The files are read again, leniently:
    /// a file that does not parse (say, a section repeated, which the AWS CLI refuses and other
    /// SDKs merge) still gets its notes; one that cannot be read gets none.
    public static func notes(environment: Environment) -> [ProfileFileNote] {
        let (config, credentials) = SharedConfigFiles.paths(environment)
        return notes(config: source(config), credentials: source(credentials))
    }

    /// Notes on the files `files` was read from (read again from their paths).
    public static func notes(for files: SharedConfigFiles) -> [ProfileFileNote] {
        notes(config: source(files.configPath), credentials: source(files.credentialsPath))
    }

    /// Notes on the given texts (nil: no such file), config file first, each in line order.
    public static func notes(config: Source?, credentials: Source?) -> [ProfileFileNote] {
        var out: [ProfileFileNote] = []
        if let config { out += ProfileFileLint(path: config.path, text: config.text, isConfig: true).notes() }
        if let credentials { out += ProfileFileLint(path: credentials.path, text: credentials.text, isConfig: false).notes() }
        return out
    }

    static func source(_ path: String) -> Source? {
        guard let text = try? SharedConfigFiles.readText(path) else { return nil }
        return Source(path: path, text: text)
    }
}
