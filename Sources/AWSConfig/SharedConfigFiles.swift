#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore

/// The `config` and `credentials` files, read once, with each profile's values merged as
/// botocore merges them (credentials file over config file, key by key) and every value's
/// file and line kept.
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

    /// `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default
    /// `~/.aws/credentials`), expanded as botocore does (`$VAR`, `${VAR}`, then `~`). A
    /// variable set to the empty string names no file at all, as in botocore.
    public static func paths(_ env: Environment) -> (config: String, credentials: String) {
        (PathExpansion.expand(env["AWS_CONFIG_FILE"] ?? "~/.aws/config", env),
         PathExpansion.expand(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", env))
    }

    /// Both files; one that does not exist or is not a regular file (a directory,
    /// `/dev/null`) is simply absent, as for botocore.
    public static func load(_ env: Environment) throws(ConfigFileError) -> SharedConfigFiles {
        let (configPath, credentialsPath) = paths(env)
        return SharedConfigFiles(configPath: configPath, credentialsPath: credentialsPath,
                                 config: try parse(configPath), credentials: try parse(credentialsPath))
    }

    static func parse(_ path: String) throws(ConfigFileError) -> INIFile? {
        guard let text = try readText(path) else { return nil }
        return try INIFile(parsing: text, path: path)
    }

    /// The file's text; nil when botocore would find no file (`os.path.isfile` is false).
    static func readText(_ path: String) throws(ConfigFileError) -> String? {
        guard isRegularFile(path) else { return nil }
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path) } catch { throw ConfigFileError(path: path, line: nil, reason: error.reason) }
        guard let bytes else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigFileError(path: path, line: nil, reason: "not valid UTF-8")
        }
        return text
    }

    static func isRegularFile(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// What a config-file section is to botocore (`build_profile_map`).
    public enum ConfigSectionKind: Sendable, Equatable {
        /// `[default]`, or `[profile NAME]`: any section whose name starts with `profile` and
        /// splits (`shlex.split`) into exactly two words; the second is the profile's name.
        case profile(String)
        /// `[sso-session NAME]`, same word rule.
        case ssoSession(String)
        /// `[services NAME]`, same word rule.
        case services(String)
        /// Starts with `profile`, `sso-session` or `services` but is not two words: dropped.
        case unusable
        /// Any other section: not a profile.
        case other
    }

    public static func kind(ofConfigSection section: String) -> ConfigSectionKind {
        func secondWord() -> String? {
            guard let words = ShellWords.split(section), words.count == 2 else { return nil }
            return words[1]
        }
        let s = section.unicodeScalars
        if s.starts(with: "profile".unicodeScalars) { return secondWord().map { .profile($0) } ?? .unusable }
        if s.starts(with: "sso-session".unicodeScalars) { return secondWord().map { .ssoSession($0) } ?? .unusable }
        if s.starts(with: "services".unicodeScalars) { return secondWord().map { .services($0) } ?? .unusable }
        if PythonText.same(section, "default") { return .profile("default") }
        return .other
    }

    /// The profile name a config-file section stands for: `default`, or the second word of a
    /// section that starts with `profile` (quotes as `shlex.split`); nil for other sections.
    public static func profileName(ofConfigSection section: String) -> String? {
        if case .profile(let name) = kind(ofConfigSection: section) { return name }
        return nil
    }

    /// The config-file section of a profile: the last of the sections that name it
    /// (`[default]`, `[profile default]`, `[profile  x]` and `[profile x]` each replace
    /// the ones before, whole, as in botocore).
    public static func section(of config: INIFile, forProfile name: String) -> INIFile.Section? {
        config.sections.last { profileName(ofConfigSection: $0.name).map { PythonText.same($0, name) } ?? false }
    }

    /// Every profile, as botocore's `available_profiles` lists them: the config file's in the
    /// order each name first appears, then the credentials file's sections not named yet.
    public var profileNames: [String] {
        var names: [String] = []
        var seen: Set<ExactText> = []
        for s in config?.sections ?? [] {
            if let n = Self.profileName(ofConfigSection: s.name), seen.insert(ExactText(n)).inserted { names.append(n) }
        }
        for s in credentials?.sections ?? [] where seen.insert(ExactText(s.name)).inserted { names.append(s.name) }
        return names
    }

    /// The profile's merged values, or nil when neither file has it. An empty name is never a
    /// profile (botocore would mix the settings of `[profile ""]` with the default profile's
    /// credentials).
    public func profile(_ name: String) -> Profile? {
        name.isEmpty ? nil : merged(name)
    }

    /// Every profile of `profileNames`, merged, in that order (a `[profile ""]` included).
    public var allProfiles: [Profile] { profileNames.compactMap(merged) }

    func merged(_ name: String) -> Profile? {
        var profile = Profile(name: name, values: [:])
        if let config, let section = Self.section(of: config, forProfile: name) {
            profile.add(section, file: config.path)
        }
        if let credentials, let section = credentials.section(name) {
            profile.add(section, file: credentials.path)
        }
        return profile.definitions.isEmpty ? nil : profile
    }

    /// The `[sso-session NAME]` names of the config file, in the order they first appear.
    public var ssoSessionNames: [String] {
        var names: [String] = []
        var seen: Set<ExactText> = []
        for s in config?.sections ?? [] {
            if case .ssoSession(let n) = Self.kind(ofConfigSection: s.name), seen.insert(ExactText(n)).inserted { names.append(n) }
        }
        return names
    }

    /// The last `[services NAME]` section of that name.
    public func servicesSection(_ name: String) -> INIFile.Section? {
        config?.sections.last { if case .services(let n) = Self.kind(ofConfigSection: $0.name) { return PythonText.same(n, name) } else { return false } }
    }

    /// The last `[sso-session NAME]` section of that name.
    public func ssoSession(_ name: String) -> INIFile.Section? {
        config?.sections.last { if case .ssoSession(let n) = Self.kind(ofConfigSection: $0.name) { return PythonText.same(n, name) } else { return false } }
    }
}

/// One profile's settings, each with where it was set.
public struct Profile: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var text: String
        public var subsection: [String: String]?
        public var file: String
        public var line: Int
        /// Inherited from the file's `[DEFAULT]` section.
        public var fromDefaultSection = false

        public var location: String { "\(file):\(line)" }
    }

    /// A section that defines the profile.
    public struct Definition: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var location: String { "\(file):\(line)" }
    }

    public var name: String
    public var values: [String: Value]
    /// The config-file section that defines it (the last of several spellings), then the
    /// credentials-file section; one or both.
    public var definitions: [Definition] = []

    public init(name: String, values: [String: Value]) {
        self.name = name
        self.values = values
    }

    /// The value, unless missing or empty.
    public subscript(key: String) -> String? {
        guard let v = values[key]?.text, !v.isEmpty else { return nil }
        return v
    }

    mutating func add(_ section: INIFile.Section, file: String) {
        definitions.append(Definition(file: file, line: section.line))
        for e in section.entries {
            values[e.key] = Value(text: e.value, subsection: e.subsection, file: file, line: e.line, fromDefaultSection: e.fromDefaultSection)
        }
    }
}
