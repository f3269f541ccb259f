import AWSCore

/// An error after part of the work was done (some writes failed, some names did not exist): the
/// report, which says what was done, is printed before the error.
public struct ReportedFailure: ReportableError {
    public var report: Report
    public var error: AWSError

    public init(report: Report, error: AWSError) {
        self.report = report
        self.error = error
    }

    public var description: String { error.description }
    public var exitStatus: ExitStatus { error.exitStatus }
}
