import AWSCore

/// The `config` and `credentials` files, read once, with each profile's values merged
/// (credentials file over config file) and every value's file and line kept.
public struct SharedConfigFiles: Sendable {
    public var configPath: String
    public var credentialsPath: String
    public var config: INIFile?
    public var credentials: INIFile?

    public init(configPath: String, credentialsPath: String, config: INIFile?, credentials: INIFile?) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        self.config = config
        self.credentials = credentials
    }

    /// `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/credentials`); a missing file is simply empty.
    public static func load(_ env: Environment) throws(ConfigFileError) -> SharedConfigFiles {
        let configPath = LocalFile.expandTilde(env.nonEmpty("AWS_CONFIG_FILE") ?? "~/.aws/config", env)
        let credentialsPath = LocalFile.expandTilde(env.nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", env)
        return SharedConfigFiles(configPath: configPath, credentialsPath: credentialsPath,
                                 config: try parse(configPath), credentials: try parse(credentialsPath))
    }

    static func parse(_ path: String) throws(ConfigFileError) -> INIFile? {
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path) } catch { throw ConfigFileError(path: path, line: nil, reason: error.reason) }
        guard let bytes else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigFileError(path: path, line: nil, reason: "not valid UTF-8")
        }
        return try INIFile(parsing: text, path: path)
    }

    /// The profile name a config-file section stands for: `default`, or `NAME` of
    /// `profile NAME` (quotes allowed, as botocore's shlex split); nil for other sections.
    public static func profileName(ofConfigSection section: String) -> String? {
        if section == "default" { return "default" }
        guard section.hasPrefix("profile") else { return nil }
        let words = ShellWords.split(section)
        guard let words, words.count == 2, words[0] == "profile" else { return nil }
        return words[1]
    }

    /// The config-file section of a profile: `[default]` or `[profile NAME]` (`[profile default]`
    /// is accepted for the default profile too; `[default]` wins).
    public static func section(of config: INIFile, forProfile name: String) -> INIFile.Section? {
        config.sections.first { $0.name == "default" && name == "default" }
            ?? config.sections.first { profileName(ofConfigSection: $0.name) == name }
    }

    /// Every profile named in either file.
    public var profileNames: [String] {
        var names: [String] = []
        for s in config?.sections ?? [] { if let n = Self.profileName(ofConfigSection: s.name), !names.contains(n) { names.append(n) } }
        for s in credentials?.sections ?? [] where !names.contains(s.name) { names.append(s.name) }
        return names
    }

    /// The profile's merged values, or nil when neither file has it.
    public func profile(_ name: String) -> Profile? {
        var values: [String: Profile.Value] = [:]
        var found = false
        if let config {
            if let section = Self.section(of: config, forProfile: name) {
                found = true
                for e in section.entries { values[e.key] = Profile.Value(text: e.value, subsection: e.subsection, file: config.path, line: e.line) }
            }
        }
        if let credentials, let section = credentials.section(name) {
            found = true
            for e in section.entries { values[e.key] = Profile.Value(text: e.value, subsection: e.subsection, file: credentials.path, line: e.line) }
        }
        return found ? Profile(name: name, values: values) : nil
    }
}

/// One profile's settings, each with where it was set.
public struct Profile: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var text: String
        public var subsection: [String: String]?
        public var file: String
        public var line: Int

        public var location: String { "\(file):\(line)" }
    }

    public var name: String
    public var values: [String: Value]

    public init(name: String, values: [String: Value]) {
        self.name = name
        self.values = values
    }

    /// The value, unless missing or empty.
    public subscript(key: String) -> String? {
        guard let v = values[key]?.text, !v.isEmpty else { return nil }
        return v
    }
}
