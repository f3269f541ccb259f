/// The options already typed on a command line being completed, read from the words the shell
/// passes (`credctl ---completion … -- ARG INDEX CURSOR WORDS…`): `--profile`, `--region` and
/// `--endpoint-url` before or after the command, and `params`' `--prefix` and `--env`, as
/// `--name VALUE` or `--name=VALUE`. The word being completed is not read, nor anything after
/// a `--`. Shells pass words verbatim: one pair of surrounding quotes is taken off.
public struct CompletionLine: Sendable, Equatable {
    public var profile: String?
    public var region: String?
    public var endpointURL: String?
    public var prefix: String?
    public var env: String?
    /// The word being completed follows a `--`: it is a command's (`params exec … -- CMD`), not a name.
    public var afterTerminator = false

    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil, prefix: String? = nil, env: String? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.prefix = prefix
        self.env = env
    }

    public init(words: [String], completing index: Int) {
        afterTerminator = words.prefix(max(0, min(index, words.count))).dropFirst().contains("--")
        var i = 1
        while i < words.count {
            defer { i += 1 }
            let word = words[i]
            if word == "--" { break }
            if i == index || !word.hasPrefix("--") { continue }
            let name: String
            let value: String?
            if let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else {
                name = word
                value = i + 1 < words.count && i + 1 != index ? words[i + 1] : nil
            }
            guard let value else { continue }
            let read = Self.unquoted(value)
            switch name {
            case "--profile": profile = read
            case "--region": region = read
            case "--endpoint-url": endpointURL = read
            case "--prefix": prefix = read
            case "--env": env = read
            default: continue
            }
            if !word.contains("=") { i += 1 }
        }
    }

    /// `'x'` and `"x"` as `x`; anything else as typed.
    static func unquoted(_ word: String) -> String {
        guard word.count >= 2, let first = word.first, first == "'" || first == "\"", word.last == first else { return word }
        return String(word.dropFirst().dropLast())
    }
}
