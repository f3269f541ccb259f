import AWSCore

/// How `setup user` and `policy` show what they did or would do.
public enum SetupReport {
    public static func user(_ r: UserSetup.Report, options: UserSetup.Options) -> Report {
        Report(parts: [
            (name: nil, section: .record([
                ReportField("User", "User", .text(options.user)),
                ReportField("Profile", "Profile", .text(options.profileName)),
                ReportField("PolicyName", "Policy", .text(r.policyName)),
                ReportField("AccessKeyId", "Key", .text(r.keyId)),
                ReportField("Region", "Region", .text(r.region)),
                ReportField("DryRun", "", .flag(options.dryRun)),
            ]), visibility: .everywhere),
            // The steps as data, and numbered for people.
            (name: "Steps", section: .lines(r.steps), visibility: .dataOnly),
            (name: nil, section: .lines(r.steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }), visibility: .peopleOnly),
            (name: "Policy", section: .document(r.policy), visibility: .everywhere),
        ])
    }

    public static func templates() -> Report {
        .table([Report.Column("Template", "Template"), Report.Column("Grants", "Grants")],
               PolicyTemplate.allCases.map { [.text($0.rawValue), .text($0.summary)] })
    }
}
