import AWSConfig
import AWSCore

/// A profile `vault import --all` leaves where it is, and why.
public struct SkippedProfile: Sendable, Equatable {
    public var profile: String
    public var reason: String
}

/// What an import will do, worked out from the files' bytes alone before anything changes.
public struct VaultImportPlan: Sendable {
    public var entries: [VaultEntry]
    public var skipped: [SkippedProfile]
    /// The credentials file without the imported profiles' key lines.
    public var credentials: [UInt8]
    /// The config file with `credential_process` pointing each imported profile at the vault.
    public var config: [UInt8]
}

/// Moving keys between the shared files and the vault, as byte edits of the files: import
/// takes `aws_access_key_id` and `aws_secret_access_key` out of a profile's section in the
/// credentials file (every other byte kept) and sets the profile's `credential_process` in
/// the config file; export puts the two lines back and takes credctl's `credential_process`
/// out. Each result is parsed again and compared with what was meant before it is returned.
public enum VaultFileTransfer {
    static let keyLines: Set<String> = ["aws_access_key_id", "aws_secret_access_key"]

    /// `profiles` nil means every profile of the credentials file holding a long-term key
    /// (those that cannot be imported are listed in `skipped`); named profiles that cannot be
    /// imported are errors.
    public static func importPlan(credentials: CredentialsFileEditor, configPath: String, configBytes: [UInt8],
                                  profiles: [String]?, program: String, backend: VaultBackendKind? = nil,
                                  session: SessionCredentialSettings = .init(), now: Int) throws(VaultError) -> VaultImportPlan {
        let config = try parse(configBytes, path: configPath)
        let candidates = profiles ?? credentials.file.sections.filter { s in s.entries.contains { keyLines.contains($0.key) } }.map(\.name)
        var entries: [VaultEntry] = []
        var skipped: [SkippedProfile] = []
        var newCredentials = credentials.bytes
        var newConfig = configBytes
        for name in candidates {
            let entry: VaultEntry
            do {
                entry = try importableEntry(name, credentials: credentials, config: config, program: program, session: session, now: now)
            } catch {
                if profiles != nil { throw error }
                skipped.append(SkippedProfile(profile: name, reason: error.description))
                continue
            }
            entries.append(entry)
            newCredentials = ProfileLinesEdit.removingKeys(keyLines, inSection: name, from: newCredentials)
            let (section, header) = configSection(name, in: config)
            newConfig = ProfileLinesEdit.settingKey("credential_process", to: VaultReference.commandLine(program: program, profile: name, backend: backend),
                                                    inSection: section, header: header, in: newConfig)
        }
        let plan = VaultImportPlan(entries: entries, skipped: skipped, credentials: newCredentials, config: newConfig)
        try verify(plan, credentials: credentials, config: config, program: program, backend: backend)
        return plan
    }

    /// The files with `entry`'s keys back in the credentials file and credctl's
    /// `credential_process` gone from the profile's config section.
    public static func exportPlan(entry: VaultEntry, credentials: CredentialsFileEditor, configPath: String,
                                  configBytes: [UInt8]) throws(VaultError) -> (credentials: [UInt8], config: [UInt8]) {
        let config = try parse(configBytes, path: configPath)
        let name = entry.profile
        var newCredentials: [UInt8]
        if let section = credentials.file.section(name) {
            if section.entries.contains(where: { keyLines.contains($0.key) }) {
                throw .invalidInput("profile [\(name)] in \(credentials.path) already holds keys; nothing was changed")
            }
            newCredentials = ProfileLinesEdit.settingKey("aws_access_key_id", to: entry.accessKeyId, inSection: name, header: name, in: credentials.bytes)
            newCredentials = ProfileLinesEdit.settingKey("aws_secret_access_key", to: entry.secretAccessKey, inSection: name, header: name, in: newCredentials)
        } else {
            newCredentials = credentials.appendingProfile(name, keyId: entry.accessKeyId, secret: entry.secretAccessKey)
        }
        var newConfig = configBytes
        if let section = SharedConfigFiles.section(of: config, forProfile: name), let line = section["credential_process"],
           VaultReference.profile(inCommandLine: line) == name {
            newConfig = ProfileLinesEdit.removingKeys(["credential_process"], inSection: section.name, from: configBytes)
        }
        // Read back: the credentials file gains exactly the two lines, the config file loses at most one.
        var expected = credentials.file.sections.map(SectionContent.init)
        if let i = expected.firstIndex(where: { $0.name == name }) {
            expected[i].entries += [("aws_access_key_id", entry.accessKeyId), ("aws_secret_access_key", entry.secretAccessKey)]
        } else {
            expected.append(SectionContent(name: name, entries: [("aws_access_key_id", entry.accessKeyId), ("aws_secret_access_key", entry.secretAccessKey)]))
        }
        try check(newCredentials, path: credentials.path, equals: expected)
        var expectedConfig = config.sections.map(SectionContent.init)
        if newConfig != configBytes, let section = SharedConfigFiles.section(of: config, forProfile: name),
           let i = expectedConfig.firstIndex(where: { $0.name == section.name }) {
            expectedConfig[i].entries.removeAll { $0.0 == "credential_process" }
        }
        try check(newConfig, path: configPath, equals: expectedConfig)
        return (newCredentials, newConfig)
    }

    // MARK: Steps

    static func importableEntry(_ name: String, credentials: CredentialsFileEditor, config: INIFile, program: String,
                                session: SessionCredentialSettings, now: Int) throws(VaultError) -> VaultEntry {
        guard let section = credentials.file.section(name) else {
            throw .invalidInput("there is no profile [\(name)] in \(credentials.path)")
        }
        do { try credentials.checkRewritable([name]) } catch { throw .invalidInput(error.description) }
        let keyId = section["aws_access_key_id"] ?? "", secret = section["aws_secret_access_key"] ?? ""
        if let problem = VaultInputRules.keyIdProblem(keyId) { throw .invalidInput("profile [\(name)]: \(problem)") }
        if VaultInputRules.secretProblem(secret) != nil { throw .invalidInput("profile [\(name)]: the secret access key is malformed") }
        let configSection = SharedConfigFiles.section(of: config, forProfile: name)
        if configSection?["role_arn"] != nil || section["role_arn"] != nil {
            throw .invalidInput("profile '\(name)' assumes a role; import the profile that holds its source keys instead")
        }
        if configSection?["aws_secret_access_key"] != nil || configSection?["aws_access_key_id"] != nil {
            throw .invalidInput("profile '\(name)' also holds keys in \(config.path); remove them from there first")
        }
        if let line = configSection?["credential_process"] ?? section["credential_process"],
           VaultReference.profile(inCommandLine: line) != name {
            throw .invalidInput("profile '\(name)' already sets credential_process in \(config.path); nothing was changed")
        }
        let mfa = configSection?["mfa_serial"] ?? section["mfa_serial"]
        return VaultEntry(profile: name, accessKeyId: keyId, secretAccessKey: secret, added: now, mfaSerial: mfa, session: session)
    }

    /// The config section of `profile` (its text between brackets) and the header to add when there is none.
    static func configSection(_ profile: String, in config: INIFile) -> (name: String, header: String) {
        if let s = SharedConfigFiles.section(of: config, forProfile: profile) { return (s.name, s.name) }
        let header = profile == "default" ? "default" : "profile \(VaultReference.quoted(profile))"
        return (header, header)
    }

    static func verify(_ plan: VaultImportPlan, credentials: CredentialsFileEditor, config: INIFile, program: String,
                       backend: VaultBackendKind?) throws(VaultError) {
        let imported = Set(plan.entries.map(\.profile))
        var expected = credentials.file.sections.map(SectionContent.init)
        for i in expected.indices where imported.contains(expected[i].name) { expected[i].entries.removeAll { keyLines.contains($0.0) } }
        try check(plan.credentials, path: credentials.path, equals: expected)
        for entry in plan.entries where contains(plan.credentials, Array(entry.secretAccessKey.utf8)) {
            throw .invalidInput("the secret of profile '\(entry.profile)' is also in another profile of \(credentials.path); import them together (--all) or remove the copy; nothing was changed")
        }
        var expectedConfig = config.sections.map(SectionContent.init)
        for entry in plan.entries {
            let (section, _) = configSection(entry.profile, in: config)
            let line = VaultReference.commandLine(program: program, profile: entry.profile, backend: backend)
            if let i = expectedConfig.firstIndex(where: { $0.name == section }) {
                if let j = expectedConfig[i].entries.firstIndex(where: { $0.0 == "credential_process" }) { expectedConfig[i].entries[j].1 = line }
                else { expectedConfig[i].entries.append(("credential_process", line)) }
            } else {
                expectedConfig.append(SectionContent(name: section, entries: [("credential_process", line)]))
            }
        }
        try check(plan.config, path: config.path, equals: expectedConfig)
    }

    /// A section as compared after an edit: its name and its settings in order, lines ignored.
    struct SectionContent: Equatable {
        var name: String
        var entries: [(String, String)]

        init(name: String, entries: [(String, String)]) {
            self.name = name
            self.entries = entries
        }

        init(_ s: INIFile.Section) {
            name = s.name
            entries = s.entries.map { ($0.key, $0.value) }
        }

        static func == (a: SectionContent, b: SectionContent) -> Bool {
            a.name == b.name && a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0 == $1 }
        }
    }

    static func check(_ bytes: [UInt8], path: String, equals expected: [SectionContent]) throws(VaultError) {
        let reread = try? parse(bytes, path: path)
        guard let reread, reread.sections.map(SectionContent.init) == expected else {
            throw .invalidInput("\(path) could not be edited exactly (unusual layout: a value continued on the next line?); nothing was changed")
        }
    }

    static func parse(_ bytes: [UInt8], path: String) throws(VaultError) -> INIFile {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidInput("\(path) is not valid UTF-8") }
        do { return try INIFile(parsing: text, path: path) } catch { throw .invalidInput(error.description) }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
