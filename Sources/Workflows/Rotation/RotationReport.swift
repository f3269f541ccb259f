/// How `rotate` shows a plan (dry run, confirmation) and a finished rotation.
public enum RotationReport {
    public static func plan(_ plan: RotationPlan) -> Report {
        Report(parts: [
            (name: nil, section: .lines(prompt(plan).split(separator: "\n").map(String.init)), visibility: .peopleOnly),
            (name: nil, section: .record([
                ReportField("Account", "Account", .text(plan.account)),
                ReportField("User", "User", .text(plan.user)),
                ReportField("OldKeyId", "Old key", .text(plan.oldKey.id)),
                ReportField("CredentialsFile", "File", .text(plan.credentialsFile)),
                ReportField("Profiles", "Profiles", .texts(plan.profiles), display: plan.profiles.joined(separator: ", ")),
                ReportField("Destinations", "Destinations", .list(plan.destinations.map { d in
                    .record([ReportField("Destination", "", .text(d.destination)), ReportField("Holds", "", .text(d.holds)),
                             ReportField("Action", "", .text(d.action))])
                })),
                ReportField("VerifyCommand", "", .text(plan.verifyCommand)),
                ReportField("DeleteOtherKey", "Delete first", .text(plan.otherKeyToDelete?.id)),
                ReportField("KeepOldInactive", "", .flag(plan.keepOldInactive)),
            ]), visibility: .dataOnly),
            (name: "Steps", section: .lines(plan.steps), visibility: .dataOnly),
        ])
    }

    /// The confirmation prompt's text.
    public static func prompt(_ plan: RotationPlan) -> String {
        var text = "Rotate access key \(plan.oldKey.id) of IAM user \(plan.user) (account \(plan.account)):\n"
        for (i, step) in plan.steps.enumerated() { text += "  \(i + 1). \(step)\n" }
        return text
    }

    public static func result(_ r: RotationResult) -> Report {
        .record([
            ReportField("User", "User", .text(r.user)),
            ReportField("Account", "Account", .text(r.account)),
            ReportField("NewKeyId", "New key", .text(r.newKeyId)),
            ReportField("OldKeyId", "Old key", .text(r.oldKeyId), display: "\(r.oldKeyId) (\(r.oldKeyState.rawValue))"),
            ReportField("OldKeyState", "", .text(r.oldKeyState.rawValue)),
            ReportField("Profiles", "Profiles", .texts(r.profiles), display: r.profiles.isEmpty ? nil : r.profiles.joined(separator: ", ")),
            ReportField("CredentialsFile", "File", .text(r.profiles.isEmpty ? nil : r.credentialsFile)),
            // For people only when there is more than the profiles to show.
            ReportField("Destinations", r.destinations.count == r.profiles.count ? "" : "Destinations", .texts(r.destinations),
                        display: r.destinations.joined(separator: ", ")),
            ReportField("FinishedInterruptedRotation", r.finishedInterrupted ? "Note" : "", .flag(r.finishedInterrupted),
                        display: r.finishedInterrupted ? "finished a rotation an earlier run had begun" : nil),
        ])
    }

    public static func abandoned(_ a: AbandonedRotation) -> Report {
        .record([
            ReportField("User", "User", .text(a.user)),
            ReportField("OldKeyId", "Old key", .text(a.oldKeyId), display: "\(a.oldKeyId) (active, back where credctl can write it)"),
            ReportField("DeletedKeys", "Deleted", .texts(a.deleted), display: a.deleted.isEmpty ? "none" : a.deleted.joined(separator: ", ")),
            ReportField("KeptKeys", a.kept.isEmpty ? "" : "Kept (not made by it)", .texts(a.kept), display: a.kept.joined(separator: ", ")),
            ReportField("CommandsNotRun", a.commandsNotRun.isEmpty ? "" : "Not run again", .texts(a.commandsNotRun),
                        display: a.commandsNotRun.joined(separator: ", ")),
        ])
    }
}
