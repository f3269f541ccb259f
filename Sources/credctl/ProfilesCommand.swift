import ArgumentParser
import AWSConfig
import AWSCore
import Workflows

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Every profile of the config and credentials files, with its kind and where it is defined.",
        discussion: """
            Lists the profiles as `aws configure list-profiles` does (the config file's, in the order
            each first appears, then the credentials file's), each with the kind of credentials the
            chain would take from it (static-keys, role, sso, credential-process, web-identity, or
            other) and FILE:LINE of the sections that define it. [sso-session …] and [services …]
            sections are not profiles. --settings adds every setting with its value and FILE:LINE
            (secrets masked, sub-sections as objects). Notes say where other AWS SDKs read a line
            differently from the AWS CLI, or where the AWS CLI ignores one. Reads the files only.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also show each profile's settings, values and FILE:LINE (secrets masked).")
    var settings = false

    func run() throws {
        try reportingErrors {
            let listing = try ProfileListing.load(environment: Environment.current(), profileFlag: global.profile)
            StandardStream.output.write(Self.output(listing, settings: settings).render(global.output))
            if global.output == .table, !listing.notes.isEmpty {
                StandardStream.output.write("\n" + listing.notes.map { "note: " + RowsOutput.oneLine($0.message) + "\n" }.joined())
            }
        }
    }

    static func output(_ l: ProfileListing, settings: Bool) -> RowsOutput {
        let rows: [[String]]
        let columns: [String]
        if settings {
            columns = ["PROFILE", "SETTING", "VALUE", "DEFINED AT"]
            rows = l.profiles.flatMap { item in
                let values = sortedValues(item.profile)
                if values.isEmpty { return [[item.profile.name, "-", "-", definedAt(item.profile)]] }
                return values.map { key, v in [item.profile.name, key, text(key, v), v.location] }
            }
        } else {
            columns = ["PROFILE", "KIND", "DEFINED AT"]
            rows = l.profiles.map { [$0.profile.name, $0.kind.rawValue, definedAt($0.profile)] }
        }
        return RowsOutput(columns: columns, rows: rows, json: json(l, settings: settings))
    }

    static func json(_ l: ProfileListing, settings: Bool) -> JSONValue {
        let profiles: [JSONValue] = l.profiles.map { item in
            var members: [(String, JSONValue)] = [
                ("Name", .string(item.profile.name)), ("Kind", .string(item.kind.rawValue)),
                ("DefinedAt", .array(item.profile.definitions.map { .string($0.location) })),
            ]
            if settings { members.append(("Settings", settingsJSON(item.profile))) }
            return .object(members)
        }
        let sessions: [JSONValue] = l.files.ssoSessionNames.compactMap { name in
            guard let section = l.files.ssoSession(name), let config = l.files.config else { return nil }
            var members: [(String, JSONValue)] = [("Name", .string(name)), ("DefinedAt", .string("\(config.path):\(section.line)"))]
            if settings {
                members.append(("Settings", .object(section.entries.sorted { $0.key < $1.key }.map { e in
                    (e.key, .object([("Value", value(e.key, e.value, e.subsection)), ("Location", .string("\(config.path):\(e.line)"))]))
                })))
            }
            return .object(members)
        }
        return .object([
            ("ConfigFile", .string(l.files.configPath)),
            ("CredentialsFile", .string(l.files.credentialsPath)),
            ("SelectedProfile", .object([("Name", .string(l.selection.name)), ("Source", .string(l.selection.source.rawValue))])),
            ("Profiles", .array(profiles)),
            ("SSOSessions", .array(sessions)),
            ("Notes", .array(l.notes.map { n in
                .object([("Kind", .string(n.kind.rawValue)), ("File", .string(n.file)), ("Line", .number(n.line)), ("Message", .string(n.message))])
            })),
        ])
    }

    static func sortedValues(_ p: Profile) -> [(String, Profile.Value)] {
        p.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func settingsJSON(_ p: Profile) -> JSONValue {
        .object(sortedValues(p).map { key, v in
            (key, .object([("Value", value(key, v.text, v.subsection)), ("Location", .string(v.location))]))
        })
    }

    /// A sub-section as an object, a secret masked, any other value as written.
    static func value(_ key: String, _ text: String, _ subsection: [String: String]?) -> JSONValue {
        if let subsection { return .object(subsection.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }
        return .string(ProfileListing.shown(key, text))
    }

    static func text(_ key: String, _ v: Profile.Value) -> String {
        if let sub = v.subsection { return sub.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") }
        return ProfileListing.shown(key, v.text)
    }

    static func definedAt(_ p: Profile) -> String { p.definitions.map(\.location).joined(separator: ", ") }
}
