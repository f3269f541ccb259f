import AWSConfig
import AWSCore

/// How `profiles` shows the profiles of both files: kind and FILE:LINE (with `--settings`, every
/// setting, secrets masked), the SSO sessions, and the notes on lines other SDKs read differently.
public enum ProfilesReport {
    public static func report(_ l: ProfileListing, settings: Bool) -> Report {
        let table: Report.Section
        if settings {
            table = .table([Report.Column("Profile", "Profile"), Report.Column("Setting", "Setting"), Report.Column("Value", "Value"),
                            Report.Column("Location", "Defined at")],
                           l.profiles.flatMap { item -> [[ReportValue]] in
                               let values = sortedValues(item.profile)
                               if values.isEmpty { return [[.text(item.profile.name), .text("-"), .text("-"), .text(definedAt(item.profile))]] }
                               return values.map { key, v in [.text(item.profile.name), .text(key), .text(text(key, v)), .text(v.location)] }
                           })
        } else {
            table = .table([Report.Column("Name", "Profile"), Report.Column("Kind", "Kind"), Report.Column("DefinedAt", "Defined at")],
                           l.profiles.map { [.text($0.profile.name), .text($0.kind.rawValue), .texts($0.profile.definitions.map(\.location))] })
        }
        let profiles: [ReportValue] = l.profiles.map { item in
            var fields = [ReportField("Name", "", .text(item.profile.name)), ReportField("Kind", "", .text(item.kind.rawValue)),
                          ReportField("DefinedAt", "", .texts(item.profile.definitions.map(\.location)))]
            if settings { fields.append(ReportField("Settings", "", settingsValue(sortedValues(item.profile).map { ($0.0, $0.1.text, $0.1.subsection, $0.1.location) }))) }
            return .record(fields)
        }
        let sessions: [ReportValue] = l.files.ssoSessionNames.compactMap { name in
            guard let section = l.files.ssoSession(name), let config = l.files.config else { return nil }
            var fields = [ReportField("Name", "", .text(name)), ReportField("DefinedAt", "", .text("\(config.path):\(section.line)"))]
            if settings {
                fields.append(ReportField("Settings", "", settingsValue(section.entries.sorted { $0.key < $1.key }.map {
                    ($0.key, $0.value, $0.subsection, "\(config.path):\($0.line)")
                })))
            }
            return .record(fields)
        }
        // The table is also the CSV sheet (its columns named as the JSON members they hold).
        return Report(parts: [
            (name: nil, section: table, visibility: .only(.table, .text, .csv)),
            (name: nil, section: .lines(l.notes.map { "note: " + $0.message }), visibility: l.notes.isEmpty ? .only() : .peopleOnly),
            (name: nil, section: .record([
                ReportField("ConfigFile", "", .text(l.files.configPath)),
                ReportField("CredentialsFile", "", .text(l.files.credentialsPath)),
                ReportField("SelectedProfile", "", .record([ReportField("Name", "", .text(l.selection.name)),
                                                            ReportField("Source", "", .text(l.selection.source.rawValue))])),
                ReportField("Profiles", "", .list(profiles)),
                ReportField("SSOSessions", "", .list(sessions)),
                ReportField("Notes", "", .list(l.notes.map { n in
                    .record([ReportField("Kind", "", .text(n.kind.rawValue)), ReportField("File", "", .text(n.file)),
                             ReportField("Line", "", .number(n.line)), ReportField("Message", "", .text(n.message))])
                })),
            ]), visibility: .dataOnly),
        ])
    }

    static func sortedValues(_ p: Profile) -> [(String, Profile.Value)] {
        p.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `{key: {Value, Location}}`: a sub-section as an object, a secret masked.
    static func settingsValue(_ entries: [(key: String, text: String, subsection: [String: String]?, location: String)]) -> ReportValue {
        .record(entries.map { e in
            let value: ReportValue = e.subsection.map { sub in .record(sub.sorted { $0.key < $1.key }.map { ReportField($0.key, "", .text($0.value)) }) }
                ?? .text(ProfileListing.shown(e.key, e.text))
            return ReportField(e.key, "", .record([ReportField("Value", "", value), ReportField("Location", "", .text(e.location))]))
        })
    }

    static func text(_ key: String, _ v: Profile.Value) -> String {
        if let sub = v.subsection { return sub.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") }
        return ProfileListing.shown(key, v.text)
    }

    static func definedAt(_ p: Profile) -> String { p.definitions.map(\.location).joined(separator: ", ") }
}
