/// The rules behind `ProfileFileNotes`, for one file. It walks the lines as configparser
/// classifies them (see `INIScanner`) without refusing anything, and compares with how the
/// SDKs' common profile-file specification (the cross-SDK suite in
/// `Tests/Fixtures/profile-files`) reads the same line: `=` only; inline comments after
/// whitespace; `[ names ]` trimmed; repeated sections merged and repeated keys overwritten;
/// `[profile default]` over `[default]`; any indented line inside a property continues it;
/// profile and key names of letters, digits and `-/.%@_:+` only; no `[DEFAULT]` magic;
/// `aws_session_token` only.
struct ProfileFileLint {
    let path: String
    let lines: [INILine]
    let isConfig: Bool

    init(path: String, text: String, isConfig: Bool) {
        self.path = path
        self.lines = INIScanner.lines(of: text)
        self.isConfig = isConfig
    }

    struct Section {
        var name: String
        var line: Int
        var keys: [(key: String, line: Int, value: String)] = []
        func first(_ key: String) -> (key: String, line: Int, value: String)? { keys.first { $0.key == key } }
    }

    private var found: [ProfileFileNote] = []
    private var sections: [Section] = []
    private var defaults = Section(name: "DEFAULT", line: 0)

    func notes() -> [ProfileFileNote] {
        var lint = self
        lint.walk()
        lint.sectionNotes()
        return lint.found.sorted { $0.line < $1.line }
    }

    private mutating func differ(_ line: Int, _ detail: String) { found.append(ProfileFileNote(kind: .otherSDKsDiffer, file: path, line: line, detail: detail)) }
    private mutating func ignored(_ line: Int, _ detail: String) { found.append(ProfileFileNote(kind: .ignoredByAWSCLI, file: path, line: line, detail: detail)) }

    private static func q(_ s: String) -> String { "'" + FileExcerpt.of(s) + "'" }

    /// Line-by-line notes; fills `sections` and `defaults`.
    private mutating func walk() {
        var current: Int?          // index in sections; -1 for [DEFAULT]
        var property: (key: String, line: Int, subsection: Bool)?
        var seenNames: [ExactText: Int] = [:]
        var seenKeys: [[ExactText]: Int] = [:]
        for line in lines {
            switch line.kind {
            case .blank, .comment, .outsideSection:
                continue
            case .header(let name, let trailing):
                property = nil
                if let t = PythonText.lstrip(PythonText.scalars(trailing)).first, t != "#", t != ";" {
                    differ(line.number, "they refuse a section header followed by text other than a comment; the AWS CLI reads [\(FileExcerpt.ofSection(name))] and drops the rest")
                }
                if name == "DEFAULT" {
                    current = -1
                    differ(line.number, isConfig
                        ? "the AWS CLI copies every key under [DEFAULT] into every section of this file; other AWS SDKs ignore the section"
                        : "the AWS CLI copies every key under [DEFAULT] into every profile of this file; other AWS SDKs read it as a profile named DEFAULT")
                    continue
                }
                if let first = seenNames[ExactText(name)] {
                    differ(line.number, "they merge this second [\(FileExcerpt.ofSection(name))] into the first (line \(first)); the AWS CLI refuses the whole file")
                } else {
                    seenNames[ExactText(name)] = line.number
                }
                sections.append(Section(name: name, line: line.number))
                current = sections.count - 1
            case .option(let key, let rawKey, let value, let rawValue, let delimiter):
                guard let c = current else { continue }
                let sectionName = c < 0 ? "DEFAULT" : sections[c].name
                if line.indent > 0 {
                    if let open = property {
                        differ(line.number, "they read this indented line as more of the value of \(Self.q(open.key)) (line \(open.line)); the AWS CLI reads it as the key \(Self.q(key)), as it is not indented deeper than that key")
                    } else {
                        differ(line.number, "they refuse the file at this indented line (a key must start the line); the AWS CLI reads it as the key \(Self.q(key))")
                    }
                }
                if delimiter == ":" {
                    differ(line.number, "they take only '=' between a key and its value, so they refuse this line or read another key; the AWS CLI splits it at the first ':'")
                }
                if Self.hasInlineComment(rawValue) {
                    differ(line.number, "they end the value of \(Self.q(key)) at a '#' or ';' after a space (a comment to them); the AWS CLI keeps it in the value")
                }
                if !rawKey.isEmpty, !Self.isValidName(rawKey) {
                    differ(line.number, "they ignore the key \(Self.q(rawKey)): they accept only letters, digits and - / . % @ _ : + in key names")
                }
                if let first = seenKeys[[ExactText(sectionName), ExactText(key)]] {
                    differ(line.number, "they take this last \(Self.q(key)) of [\(FileExcerpt.ofSection(sectionName))] (first set on line \(first)); the AWS CLI refuses the whole file")
                } else {
                    seenKeys[[ExactText(sectionName), ExactText(key)]] = line.number
                }
                let entry = (key: key, line: line.number, value: value)
                if c < 0 { defaults.keys.append(entry) } else { sections[c].keys.append(entry) }
                property = rawKey.isEmpty ? nil : (key, line.number, value.isEmpty)
            case .continuation(let text):
                let scalars = PythonText.scalars(text)
                if let open = property, case .header(let name, _)? = INIScanner.header(scalars) {
                    ignored(line.number, "[\(FileExcerpt.ofSection(name))] looks like a section header, but being indented deeper than \(Self.q(open.key)) (line \(open.line)) it is read as part of that value")
                } else if let open = property, open.subsection, scalars.first == "=" {
                    differ(line.number, "they refuse a sub-section line without a name; the AWS CLI reads it as the key '' of \(Self.q(open.key))")
                }
            case .noDelimiter:
                if line.indent > 0, let open = property {
                    differ(line.number, "they read this indented line as more of the value of \(Self.q(open.key)) (line \(open.line)); the AWS CLI refuses the file, as it is not indented deeper than that key")
                }
            }
        }
    }

    /// Notes on whole sections: names, profiles defined twice, keys the AWS CLI passes over.
    private mutating func sectionNotes() {
        var profileSections: [ExactText: [Int]] = [:]
        var order: [ExactText] = []
        for (i, s) in sections.enumerated() {
            let trimmed = PythonText.string(PythonText.strip(PythonText.scalars(s.name)))
            if isConfig {
                let kind = SharedConfigFiles.kind(ofConfigSection: s.name)
                let trimmedKind = SharedConfigFiles.kind(ofConfigSection: trimmed)
                if kind != trimmedKind, trimmedKind != .other, trimmedKind != .unusable {
                    differ(s.line, "they trim the spaces inside the brackets and read [\(FileExcerpt.ofSection(trimmed))]; the AWS CLI keeps them, so for it this section is not a profile")
                    continue
                }
                switch kind {
                case .profile(let name):
                    if profileSections[ExactText(name)] == nil { order.append(ExactText(name)) }
                    profileSections[ExactText(name), default: []].append(i)
                    if !Self.isValidName(name) {
                        differ(s.line, "they ignore the profile \(Self.q(name)): they accept only letters, digits and - / . % @ _ : + in profile names")
                    }
                case .unusable, .other:
                    if !["plugins", "preview"].contains(s.name) {
                        ignored(s.line, "[\(FileExcerpt.ofSection(s.name))] is not a profile: in the config file the AWS CLI reads [default], [profile NAME], [sso-session NAME] and [services NAME] (NAME one word, or quoted)")
                    }
                case .ssoSession, .services:
                    break
                }
            } else {
                keyNotes(s, profile: s.name)
                if s.name.unicodeScalars.starts(with: "profile".unicodeScalars), s.name.unicodeScalars.dropFirst(7).first.map(PythonText.isSpace) ?? false {
                    differ(s.line, "they ignore [\(FileExcerpt.ofSection(s.name))] in the credentials file (no 'profile ' prefix there); the AWS CLI reads it as a profile of that whole name")
                } else if trimmed != s.name {
                    differ(s.line, "they trim the spaces inside the brackets and read the profile \(Self.q(trimmed)); the AWS CLI keeps them in the name")
                } else if !Self.isValidName(s.name) {
                    differ(s.line, "they ignore the profile \(Self.q(s.name)): they accept only letters, digits and - / . % @ _ : + in profile names")
                }
            }
        }
        for name in order { profileDefinedTwice(profileSections[name]!) }
    }

    /// A config profile spelt by several sections: the AWS CLI takes the last one whole; the
    /// other SDKs merge them, and take `[profile default]` sections over `[default]` ones.
    private mutating func profileDefinedTwice(_ indices: [Int]) {
        let last = indices.last!
        let lastName = FileExcerpt.ofSection(sections[last].name)
        keyNotes(sections[last], profile: SharedConfigFiles.profileName(ofConfigSection: sections[last].name) ?? "")
        guard Set(indices.map { ExactText(sections[$0].name) }).count > 1 else { return }   // an exact repeat: see walk()
        let plain = indices.filter { sections[$0].name == "default" }
        let prefixed = indices.filter { sections[$0].name != "default" }
        if !plain.isEmpty, !prefixed.isEmpty {
            if prefixed == [last] {
                for i in plain {
                    ignored(sections[i].line, "[default] is not used: [\(lastName)] (line \(sections[last].line)) defines the default profile too, comes later and wins (other AWS SDKs also prefer it)")
                }
                return
            }
            for i in indices where i != last {
                differ(sections[i].line, "the AWS CLI uses only the last section of the default profile, [\(lastName)] (line \(sections[last].line)), whole; other AWS SDKs merge the [profile default] sections and ignore [default] when there is one")
            }
            return
        }
        for i in indices.dropLast() {
            differ(sections[i].line, "[\(FileExcerpt.ofSection(sections[i].name))] and [\(lastName)] (line \(sections[last].line)) define the same profile: the AWS CLI uses only the last, whole, and ignores this one; other AWS SDKs merge them")
        }
    }

    /// Keys of a profile section (with the `[DEFAULT]` ones it inherits) that the AWS CLI and
    /// the other SDKs use differently.
    private mutating func keyNotes(_ s: Section, profile: String) {
        func effective(_ key: String) -> (key: String, line: Int, value: String)? { s.first(key) ?? defaults.first(key) }
        if let secret = effective("aws_secret_access_key"), effective("aws_access_key_id") == nil {
            ignored(secret.line, "profile \(Self.q(profile)) has aws_secret_access_key but no aws_access_key_id in this file, so the AWS CLI passes over its keys here")
        }
        if let legacy = effective("aws_security_token") {
            if let token = effective("aws_session_token") {
                differ(token.line, "the AWS CLI reads aws_security_token (line \(legacy.line)) first and ignores this aws_session_token\(legacy.value.isEmpty ? " (and, that one being empty, sends no token at all)" : ""); other AWS SDKs read only aws_session_token")
            } else {
                differ(legacy.line, "the AWS CLI sends aws_security_token as the session token; other AWS SDKs read only aws_session_token")
            }
        }
    }

    /// A `#` or `;` after whitespace, where the specification starts a comment in a value.
    static func hasInlineComment(_ rawValue: String) -> Bool {
        var previousIsSpace = false
        for c in rawValue.unicodeScalars {
            if (c == "#" || c == ";") && previousIsSpace { return true }
            previousIsSpace = PythonText.isSpace(c)
        }
        return false
    }

    /// The specification's profile and key names: ASCII letters and digits and `-/.%@_:+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-/.%@_:+".unicodeScalars.contains(c)
        }
    }
}
