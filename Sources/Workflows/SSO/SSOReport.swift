import AWSCore

/// How the `sso` commands show a login, a logout, the reachable accounts and a sync.
public enum SSOReport {
    public static func login(_ r: SSOLogin.Report) -> Report {
        .record([
            ReportField("StartUrl", "Signed in", .text(r.session.startURL), display: "\(r.session.startURL) (\(r.session.label), \(r.session.region))"),
            ReportField("SessionName", "", .text(r.session.name)),
            ReportField("Region", "", .text(r.session.region)),
            ReportField("ExpiresAt", "Token", .date(r.expiresAt),
                        display: "valid until \(Timestamp.format(r.expiresAt))" + (r.hasRefreshToken ? ", refreshable" : "")),
            ReportField("Refreshable", "", .flag(r.hasRefreshToken)),
            ReportField("CacheFile", "Cache file", .text(r.cachePath)),
            ReportField("RegistrationReused", "", .flag(r.registrationReused)),
        ])
    }

    public static func logout(_ r: SSOLogout.Report) -> Report {
        .record([
            ReportField("TokensRemoved", "Tokens removed", .texts(r.tokensRemoved), display: String(r.tokensRemoved.count)),
            ReportField("SignedOut", "Signed out", .number(r.signedOut)),
            ReportField("CredentialsRemoved", "Credentials removed", .texts(r.credentialsRemoved), display: String(r.credentialsRemoved.count)),
            ReportField("LogoutFailures", "Logout failed", .texts(r.logoutFailures),
                        display: r.logoutFailures.isEmpty ? nil : r.logoutFailures.joined(separator: "; ")),
        ])
    }

    public static func accounts(_ r: SSOAccounts.Report) -> Report {
        var rows: [[ReportValue]] = []
        for a in r.accounts {
            for role in a.roles.isEmpty ? [nil] : a.roles.map(Optional.some) {
                rows.append([.text(a.account.accountId), .text(a.account.accountName), .text(a.account.emailAddress), .text(role)])
            }
        }
        return Report(parts: [
            (name: nil, section: .table([Report.Column("AccountId", "Account id"), Report.Column("AccountName", "Account name"),
                                         Report.Column("EmailAddress", "Email"), Report.Column("RoleName", "Role")], rows),
             visibility: .only(.table, .text, .csv)),
            (name: nil, section: .record([
                ReportField("SsoSession", "", .text(r.session.name)), ReportField("StartUrl", "", .text(r.session.startURL)),
                ReportField("Accounts", "", .list(r.accounts.map { a in
                    .record([ReportField("AccountId", "", .text(a.account.accountId)), ReportField("AccountName", "", .text(a.account.accountName)),
                             ReportField("EmailAddress", "", .text(a.account.emailAddress)), ReportField("Roles", "", .texts(a.roles))])
                })),
            ]), visibility: .dataOnly),
        ])
    }

    static func actionText(_ action: SSOSync.Action, dryRun: Bool) -> String {
        switch action {
        case .add: return dryRun ? "would add" : "added"
        case .exists: return "exists"
        case .coveredBy(let name): return "exists as \(name)"
        case .nameTaken: return "skipped: name in use"
        case .unusable(let why): return "skipped: \(why)"
        }
    }

    public static func sync(_ r: SSOSync.Report) -> Report {
        let added = r.entries.filter { $0.action == .add }.count
        let unusable = r.entries.filter { if case .unusable = $0.action { return true } else { return false } }.count
        var summary = r.dryRun ? "Dry run: \(added) profile(s) would be added to \(r.configPath); nothing was written."
            : "\(added) profile(s) added to \(r.configPath)."
        if unusable > 0 { summary += " \(unusable) skipped: a name or value a shared file cannot hold (see Action)." }
        return Report(parts: [
            (name: nil, section: .table([Report.Column("Name", "Profile"), Report.Column("AccountId", "Account id"),
                                         Report.Column("AccountName", "Account name"), Report.Column("RoleName", "Role"),
                                         Report.Column("Action", "Action")],
                                        r.entries.map { [.text($0.name), .text($0.account.accountId), .text($0.account.accountName), .text($0.role),
                                                         .text(actionText($0.action, dryRun: r.dryRun))] }),
             visibility: .only(.table, .text, .csv)),
            (name: nil, section: .lines([summary]), visibility: .peopleOnly),
            (name: nil, section: .record([
                ReportField("ConfigFile", "", .text(r.configPath)), ReportField("DryRun", "", .flag(r.dryRun)),
                ReportField("Written", "", .flag(r.written)), ReportField("SsoSession", "", .text(r.session.name)),
                ReportField("StartUrl", "", .text(r.session.startURL)),
                ReportField("Profiles", "", .list(r.entries.map { e in
                    var existing: String?
                    if case .coveredBy(let name) = e.action { existing = name }
                    return .record([ReportField("Name", "", .text(e.name)), ReportField("AccountId", "", .text(e.account.accountId)),
                                    ReportField("AccountName", "", .text(e.account.accountName)), ReportField("RoleName", "", .text(e.role)),
                                    ReportField("Action", "", .text(actionText(e.action, dryRun: r.dryRun))),
                                    ReportField("ExistingProfile", "", .text(existing))])
                })),
            ]), visibility: .dataOnly),
        ])
    }
}
