#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials

/// `credctl sso sync`: one `[profile NAME]` in the config file for every account and role the
/// session can reach (what granted's `sso populate` and aws-sso-util do). The new sections are
/// appended after every existing byte, in one atomic replacement (under credctl's config-file
/// lock, the file's mode kept, a symbolic link followed), and only after the result has been
/// parsed back. A profile already pointing at the same account, role and session (under any
/// name) is left alone, so a rerun adds nothing; a name already used for something else is
/// reported and skipped, never overwritten.
public struct SSOSync: Sendable {
    public enum Action: Sendable, Equatable {
        case add
        /// A profile of this name already points here.
        case exists
        /// Another profile already points here.
        case coveredBy(String)
        /// The name is taken by a profile that points elsewhere (or by another account's role).
        case nameTaken
        /// The name or a value breaks what a shared file can hold (`SharedFileRules`): skipped,
        /// reported, the others written.
        case unusable(String)
    }

    public struct Entry: Sendable {
        public var name: String
        public var account: SSOAccount
        public var role: String
        public var action: Action
    }

    public struct Report: Sendable {
        public var session: SSOSession
        public var configPath: String
        public var entries: [Entry]
        public var dryRun: Bool
        /// True when the file was changed.
        public var written: Bool
        /// With `--prune`: the profiles sync wrote whose account or role is gone (removed, or to be).
        public var pruned: [SSOSyncPrune.Written] = []
    }

    public let target: SSOTarget
    public let configPath: String
    public let template: SSOProfileNameTemplate
    /// The `region` written into each profile.
    public let region: String
    /// credctl's state folder, for the config-file lock.
    public let stateDirectory: String
    /// `--prune`: also remove the profiles an earlier sync wrote that point where the session can
    /// no longer go (`SSOSyncPrune`).
    public var prune = false

    public init(target: SSOTarget, configPath: String, template: SSOProfileNameTemplate, region: String, stateDirectory: String) {
        self.target = target
        self.configPath = configPath
        self.template = template
        self.region = region
        self.stateDirectory = stateDirectory
    }

    public func run(dryRun: Bool) throws(AWSError) -> Report {
        let accounts = try SSOAccounts.run(target).accounts
        do { try SecretFile.makePrivateDirectory(stateDirectory) } catch { throw error.awsError }
        let lockPath = "\(stateDirectory)/config-file.lock"
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath, waitingUpTo: 30) } catch {
            throw .configuration(ConfigurationError("cannot lock \(lockPath): \(error)"))
        }
        defer { lock.release() }
        let file = LocalFile.resolvingSymlinks(configPath)
        let old: [UInt8]
        do { old = try LocalFile.read(file) ?? [] } catch { throw error.awsError }
        _ = try Self.parse(old, path: file)
        // Pruning first, so that the plan sees the file as it will be.
        let pruner = SSOSyncPrune(session: target.session)
        let oldText = String(decoding: old, as: UTF8.self)
        let written = prune ? pruner.written(in: oldText) : []
        let stale = pruner.stale(written, reachable: accounts)
        let base = stale.isEmpty ? old : Array(pruner.removing(stale, from: oldText, all: written).utf8)
        let existing = try Self.parse(base, path: file)
        let entries = plan(accounts, existing: existing, credentialsProfiles: Set(target.credentialsProfileNames))
        let added = entries.filter { $0.action == .add }
        var report = Report(session: target.session, configPath: file, entries: entries, dryRun: dryRun, written: false)
        report.pruned = stale
        guard !dryRun, !added.isEmpty || !stale.isEmpty else { return report }
        let new = added.isEmpty ? base : base + Array(Self.separator(base).utf8) + Array(sections(added).utf8)
        let reparsed = try Self.parse(new, path: file)
        // A pruned profile must be gone (not defined a second time elsewhere in the file).
        for gone in stale where reparsed.sections.contains(where: { SharedConfigFiles.profileName(ofConfigSection: $0.name) == gone.name
            && ProfileTarget($0).points(at: target.session, account: gone.accountId, role: gone.roleName) }) {
            throw .configuration(ConfigurationError("profile \(gone.name) is defined more than once in \(file); nothing was written"))
        }
        guard added.allSatisfy({ name in reparsed.sections.contains { SharedConfigFiles.profileName(ofConfigSection: $0.name) == name.name } }) else {
            throw .configuration(ConfigurationError("the profiles to add would not read back from \(file); nothing was written"))
        }
        var st = stat()
        let mode: mode_t = stat(file, &st) == 0 ? st.st_mode & 0o7777 : 0o600
        do {
            try SecretFile.makeDirectory(SecretFile.directory(of: file))
            try SecretFile.write(new, to: file, mode: mode)
        } catch {
            throw error.awsError
        }
        report.written = true
        return report
    }

    /// Why a profile for this name, account and role cannot be written (nil when it can): the
    /// one rule of what sync writes, applied by the plan, so that `--dry-run` and the write
    /// agree, and an unusable pair is skipped while the others are written. Every name and value
    /// written must read back as itself (no `]`, no line break, no space at either end).
    static func problem(name: String, accountId: String, role: String) -> String? {
        [SharedFileRules.profileNameProblem(name),
         SharedFileRules.valueProblem(key: "sso_account_id", value: accountId),
         SharedFileRules.valueProblem(key: "sso_role_name", value: role)].compactMap { $0 }.first
    }

    /// What to do for each account and role, in the listing's order.
    func plan(_ accounts: [SSOAccountRoles], existing: INIFile, credentialsProfiles: Set<String>) -> [Entry] {
        var byName: [String: ProfileTarget] = [:]
        for section in existing.sections {
            guard let name = SharedConfigFiles.profileName(ofConfigSection: section.name) else { continue }
            byName[name] = ProfileTarget(section)
        }
        let session = target.session
        var entries: [Entry] = []
        var claimed: Set<String> = []
        for item in accounts {
            for role in item.roles {
                let name = template.render(accountName: item.account.accountName, accountId: item.account.accountId, roleName: role,
                                           session: session.name, email: item.account.emailAddress)
                let action: Action
                if let same = byName[name], same.points(at: session, account: item.account.accountId, role: role) {
                    action = .exists
                } else if let other = byName.keys.sorted().first(where: { byName[$0]!.points(at: session, account: item.account.accountId, role: role) }) {
                    action = .coveredBy(other)
                } else if name.isEmpty || byName[name] != nil || credentialsProfiles.contains(name) || claimed.contains(name) {
                    action = .nameTaken
                } else if let problem = Self.problem(name: name, accountId: item.account.accountId, role: role) {
                    action = .unusable(problem)
                } else {
                    action = .add
                    claimed.insert(name)
                }
                entries.append(Entry(name: name, account: item.account, role: role, action: action))
            }
        }
        return entries
    }

    /// The sections to append, one per profile, after a comment saying where they came from.
    func sections(_ added: [Entry]) -> String {
        let session = target.session
        var text = "# Added by credctl sso sync from \(session.label) (\(session.startURL))\n"
        for (i, e) in added.enumerated() {
            if i > 0 { text += "\n" }
            text += "[profile \(e.name)]\n"
            if let name = session.name {
                text += "sso_session = \(name)\n"
            } else {
                text += "sso_start_url = \(session.startURL)\nsso_region = \(session.region)\n"
            }
            text += "sso_account_id = \(e.account.accountId)\nsso_role_name = \(e.role)\nregion = \(region)\n"
        }
        return text
    }

    /// What goes between the old text and the new: a line end if the file lacks its last one,
    /// and a blank line unless the file is empty or already ends with one.
    static func separator(_ old: [UInt8]) -> String {
        if old.isEmpty { return "" }
        if old.last != 0x0A { return "\n\n" }
        let n = old.count
        let endsWithBlankLine = n >= 2 && (old[n - 2] == 0x0A || (n >= 3 && old[n - 2] == 0x0D && old[n - 3] == 0x0A))
        return endsWithBlankLine ? "" : "\n"
    }

    static func parse(_ bytes: [UInt8], path: String) throws(AWSError) -> INIFile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .configuration(ConfigurationError("\(path): not valid UTF-8; nothing was written"))
        }
        do { return try INIFile(parsing: text, path: path) } catch {
            throw .configuration(ConfigurationError("\(error.description); nothing was written"))
        }
    }
}

/// Where an existing config profile's SSO settings point.
struct ProfileTarget {
    var session: String?
    var startURL: String?
    var accountId: String?
    var roleName: String?

    init(_ section: INIFile.Section) {
        session = section["sso_session"]
        startURL = section["sso_start_url"]
        accountId = section["sso_account_id"]
        roleName = section["sso_role_name"]
    }

    func points(at s: SSOSession, account: String, role: String) -> Bool {
        guard accountId == account, roleName == role else { return false }
        if let name = s.name { return session == name }
        return session == nil && startURL == s.startURL
    }
}
