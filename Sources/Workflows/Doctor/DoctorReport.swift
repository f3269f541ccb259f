/// How `doctor` shows its checklist, its probes and the verdict.
public enum DoctorReport {
    public static func report(_ r: Doctor.Report) -> Report {
        var verdict = "No problems found."
        if !r.passed {
            verdict = "Problems found: see the lines marked FAIL" + (r.probes.allSatisfy(\.passed) ? "" : " and the denied or failed probes") + "."
        }
        return Report(parts: [
            (name: nil, section: .record([ReportField("Passed", "", .flag(r.passed))]), visibility: .dataOnly),
            (name: "Checks", section: .checklist(r.checks), visibility: .everywhere),
            (name: "Probes", section: ProbeReport.rows(r.probes), visibility: r.probes.isEmpty ? .dataOnly : .everywhere),
            (name: nil, section: .lines([verdict]), visibility: .peopleOnly),
        ], foundProblems: !r.passed)
    }
}
