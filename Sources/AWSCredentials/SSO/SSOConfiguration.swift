import AWSConfig
import AWSCore

/// What an SSO access token belongs to: an `[sso-session NAME]` section, or (the legacy form)
/// a start URL and region written in a profile. The token cache file is named by the SHA-1 of
/// the session name, or of the start URL when there is no session.
public struct SSOSession: Sendable, Equatable {
    /// Nil for the legacy form.
    public var name: String?
    public var startURL: String
    public var region: String
    /// `sso_registration_scopes`, split on commas; nil when the setting is absent.
    public var registrationScopes: [String]?
    /// Where it is configured: the section's `FILE:LINE`, or the legacy profile's `sso_start_url`.
    public var location: String

    public init(name: String?, startURL: String, region: String, registrationScopes: [String]? = nil, location: String) {
        self.name = name
        self.startURL = startURL
        self.region = region
        self.registrationScopes = registrationScopes
        self.location = location
    }

    /// `sso-session NAME`, or `start URL URL` for the legacy form.
    public var label: String { name.map { "sso-session \($0)" } ?? "start URL \(startURL)" }

    /// The text whose SHA-1 names the token cache file.
    public var cacheKeySource: String { name ?? startURL }
}

/// A profile that gets role credentials from IAM Identity Center.
public struct SSOProfile: Sendable, Equatable {
    public var profile: String
    public var session: SSOSession
    public var accountId: String
    public var roleName: String
    /// `FILE:LINE` of the profile's `sso_session` (or, legacy, `sso_start_url`).
    public var location: String
    /// True when the profile names an `[sso-session]` (tokens are refreshed); false for the legacy form.
    public var usesSession: Bool { session.name != nil }
}

/// Reads SSO settings as botocore does: `[sso-session NAME]` sections found the way
/// `build_profile_map` finds them, profiles checked as `SSOProvider` checks them, sessions as
/// `SSOTokenProvider` and the AWS CLI's `sso login` check them. Every error names the file and
/// line and is a configuration error (exit 2).
public enum SSOConfiguration {
    /// A value and the `FILE:LINE` it was set at.
    public struct Setting: Sendable, Equatable {
        public var text: String
        public var location: String
    }

    /// One `[sso-session NAME]` section: its values, each with its file and line.
    public struct SessionSection: Sendable, Equatable {
        public var name: String
        public var location: String
        public var values: [String: Setting]
    }

    /// Every `[sso-session …]` section of the config file by name. As botocore: a section whose
    /// name starts with `sso-session` and splits (shell-style) into exactly two words; a later
    /// section of the same name wins.
    public static func sessionSections(_ files: SharedConfigFiles) -> [String: SessionSection] {
        guard let config = files.config else { return [:] }
        var sections: [String: SessionSection] = [:]
        for s in config.sections where s.name.hasPrefix("sso-session") {
            guard let words = ShellWords.split(s.name), words.count == 2 else { continue }
            var values: [String: Setting] = [:]
            for e in s.entries { values[e.key] = Setting(text: e.value, location: "\(config.path):\(e.line)") }
            sections[words[1]] = SessionSection(name: words[1], location: "\(config.path):\(s.line)", values: values)
        }
        return sections
    }

    /// The session `[sso-session NAME]` describes; `sso_start_url` and `sso_region` required.
    public static func session(named name: String, files: SharedConfigFiles, referencedBy reference: String? = nil) throws(AWSError) -> SSOSession {
        guard let section = sessionSections(files)[name] else {
            let by = reference.map { " (\($0))" } ?? ""
            throw .configuration(ConfigurationError("there is no [sso-session \(name)] section in \(files.configPath)\(by)"))
        }
        let missing = ["sso_start_url", "sso_region"].filter { value(section.values, $0) == nil }
        if !missing.isEmpty {
            throw .configuration(ConfigurationError(
                "[sso-session \(name)] (\(section.location)) is missing \(missing.joined(separator: " and ")); run `aws configure sso-session` or add \(missing.map { "\($0) = …" }.joined(separator: ", "))"))
        }
        let region = value(section.values, "sso_region")!
        try checkRegion(region, at: section.values["sso_region"]!.location)
        return SSOSession(name: name, startURL: value(section.values, "sso_start_url")!, region: region,
                          registrationScopes: section.values["sso_registration_scopes"].map { parseScopes($0.text) },
                          location: section.location)
    }

    /// The SSO settings of `profileName` for role credentials, or nil when the profile has
    /// neither `sso_account_id` nor `sso_role_name` (botocore's `SSOProvider` then passes).
    public static func profile(_ profileName: String, files: SharedConfigFiles) throws(AWSError) -> SSOProfile? {
        guard let profile = files.profile(profileName),
              profile.values["sso_account_id"] != nil || profile.values["sso_role_name"] != nil else { return nil }
        let anchor = (profile.values["sso_session"] ?? profile.values["sso_start_url"] ?? profile.values["sso_account_id"]
                      ?? profile.values["sso_role_name"])!.location
        func fail(_ message: String) -> AWSError {
            .configuration(ConfigurationError("profile '\(profileName)' (\(anchor)): \(message)"))
        }
        let session: SSOSession
        if let sessionName = value(profile.values, "sso_session") {
            session = try Self.session(named: sessionName, files: files, referencedBy: "named by profile '\(profileName)' at \(anchor)")
            // botocore: a key set in both the profile and the session must agree.
            let section = sessionSections(files)[sessionName]!
            for key in section.values.keys.sorted() {
                guard let mine = profile.values[key], let theirs = section.values[key], mine.text != theirs.text else { continue }
                throw fail("\(key) is '\(mine.text)' here (\(mine.location)) but '\(theirs.text)' in [sso-session \(sessionName)] (\(theirs.location)); remove it from the profile or make them agree")
            }
        } else {
            let missing = ["sso_start_url", "sso_region"].filter { value(profile.values, $0) == nil }
            if !missing.isEmpty {
                throw fail("uses IAM Identity Center but is missing \(missing.joined(separator: " and ")) (set sso_session = NAME with an [sso-session NAME] section, or \(missing.joined(separator: " and ")) in the profile)")
            }
            let region = value(profile.values, "sso_region")!
            try checkRegion(region, at: profile.values["sso_region"]!.location)
            session = SSOSession(name: nil, startURL: value(profile.values, "sso_start_url")!, region: region,
                                 location: profile.values["sso_start_url"]!.location)
        }
        let missing = ["sso_account_id", "sso_role_name"].filter { value(profile.values, $0) == nil }
        if !missing.isEmpty { throw fail("uses IAM Identity Center but is missing \(missing.joined(separator: " and "))") }
        return SSOProfile(profile: profileName, session: session, accountId: value(profile.values, "sso_account_id")!,
                          roleName: value(profile.values, "sso_role_name")!, location: anchor)
    }

    /// The session `sso login` (and `sso accounts`) use for a profile, as the AWS CLI reads it:
    /// the profile's `sso_session`, else its own `sso_start_url` and `sso_region` (legacy).
    public static func loginSession(profile profileName: String, files: SharedConfigFiles) throws(AWSError) -> SSOSession {
        guard let profile = files.profile(profileName) else {
            throw .configuration(ConfigurationError("there is no profile '\(profileName)' in \(files.configPath) or \(files.credentialsPath); \(files.closestProfiles(to: profileName))"))
        }
        if let name = value(profile.values, "sso_session") {
            return try session(named: name, files: files, referencedBy: "named by profile '\(profileName)' at \(profile.values["sso_session"]!.location)")
        }
        let missing = ["sso_start_url", "sso_region"].filter { value(profile.values, $0) == nil }
        if !missing.isEmpty {
            throw .configuration(ConfigurationError(
                "profile '\(profileName)' is not configured for IAM Identity Center: it has no sso_session and no \(missing.joined(separator: " or ")). Add sso_session = NAME (with an [sso-session NAME] section), or pass --sso-session NAME"))
        }
        let region = value(profile.values, "sso_region")!
        try checkRegion(region, at: profile.values["sso_region"]!.location)
        return SSOSession(name: nil, startURL: value(profile.values, "sso_start_url")!, region: region,
                          location: profile.values["sso_start_url"]!.location)
    }

    /// `sso_registration_scopes`: comma-separated, spaces trimmed, empty parts dropped.
    public static func parseScopes(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// A value, unless missing or empty.
    static func value(_ values: [String: Setting], _ key: String) -> String? {
        guard let v = values[key]?.text, !v.isEmpty else { return nil }
        return v
    }

    static func value(_ values: [String: Profile.Value], _ key: String) -> String? {
        guard let v = values[key]?.text, !v.isEmpty else { return nil }
        return v
    }

    static func checkRegion(_ region: String, at location: String) throws(AWSError) {
        guard EndpointResolver.isValidRegion(region) else {
            throw .configuration(ConfigurationError("sso_region '\(region)' (\(location)) is not a region name such as us-east-1"))
        }
    }
}
