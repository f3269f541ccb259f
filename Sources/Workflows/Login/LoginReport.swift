import AWSCore

/// How `credctl login` and `credctl logout` show what they did.
public enum LoginReport {
    public struct Login: Sendable {
        public var profile: String
        public var session: String
        public var accountId: String
        public var expiresAt: Int
        public var cachePath: String
        public var configPath: String
    }

    public static func login(_ r: Login) -> Report {
        .record([
            ReportField("Profile", "Profile", .text(r.profile), display: "\(r.profile) (login_session set in \(r.configPath))"),
            ReportField("Session", "Session", .text(r.session)),
            ReportField("AccountId", "Account", .text(r.accountId)),
            ReportField("ExpiresAt", "Credentials", .date(r.expiresAt),
                        display: "valid until \(Timestamp.format(r.expiresAt)), refreshed automatically while the session lasts"),
            ReportField("CacheFile", "Cache file", .text(r.cachePath)),
            ReportField("ConfigFile", "", .text(r.configPath)),
        ])
    }

    public static func logout(_ r: LoginLogout.Report) -> Report {
        let note = r.removed.isEmpty ? nil
            : "credentials already handed out stay valid until they expire (15 minutes at most)"
        return .record([
            ReportField("Profile", "Profile", .text(r.profile)),
            ReportField("Session", "Session", .text(r.session), display: r.profile != nil && r.session == nil ? "none (the profile has no login_session)" : nil),
            ReportField("Removed", "Removed", .texts(r.removed), display: r.removed.isEmpty ? "nothing" : r.removed.joined(separator: ", ")),
            ReportField("Note", "Note", .text(note), inJSON: false),
        ])
    }
}
