import AWSCore
import AWSCredentials

/// What `assume --export-profile` reports: where the credentials went and until when (no secret).
public enum AssumeReport {
    public static func exported(_ profile: String, written: ProfileExport.Written, credentials: Credentials, source: String) -> Report {
        .record([
            ReportField("Profile", "Profile", .text(profile)),
            ReportField("CredentialsFile", "Written to", .text(written.file)),
            ReportField("Replaced", "Replaced", .flag(written.replaced), display: written.replaced ? "yes (exported before)" : "no (new profile)"),
            ReportField("AccessKeyId", "Access key", .text(Redaction.keyId(credentials.accessKeyId))),
            ReportField("Expiration", "Expires", .date(credentials.expiration)),
            ReportField("Source", "Assumed", .text(source)),
            ReportField("Region", "Region", .text(written.region)),
        ])
    }
}
