/// How permission probes are shown: one row per action; a denied or failed probe is a finding.
public enum ProbeReport {
    static let columns = [Report.Column("Action", "Action"), Report.Column("Result", "Result"), Report.Column("Resource", "Resource"),
                          Report.Column("Detail", "Detail")]

    public static func rows(_ results: [ProbeResult]) -> Report.Section {
        .table(columns, results.map { [.text($0.action), .text($0.outcome.rawValue), .text($0.resource), .text($0.detail)] })
    }

    public static func probes(_ results: [ProbeResult]) -> Report {
        Report([(nil, rows(results))], foundProblems: results.contains { !$0.passed })
    }
}
