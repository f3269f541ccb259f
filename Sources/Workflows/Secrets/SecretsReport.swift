import AWSClients
import AWSCore

/// How the `secrets` commands show secrets: metadata as typed fields with ISO dates, a value
/// only where printing it is the command's job.
public enum SecretsReport {
    public static func value(_ s: SecretValue) -> Report {
        .record([ReportField("ARN", "ARN", .text(s.arn)), ReportField("Name", "Name", .text(s.name)),
                 ReportField("VersionId", "Version", .text(s.versionId)), ReportField("VersionStages", "Stages", .texts(s.versionStages)),
                 ReportField("SecretString", "Value", .text(s.secretString)),
                 ReportField("SecretBinary", "Binary value", .text(s.secretBinary.map(Base64.encode))),
                 ReportField("CreatedDate", "Created", .date(s.created))])
    }

    public static func written(_ ref: SecretVersionRef) -> Report {
        .record([ReportField("Name", "Name", .text(ref.name)), ReportField("ARN", "ARN", .text(ref.arn)),
                 ReportField("VersionId", "Version", .text(ref.versionId))])
    }

    public static func metadata(_ d: SecretMetadata) -> Report {
        .record([
            ReportField("Name", "Name", .text(d.name)), ReportField("ARN", "ARN", .text(d.arn)),
            ReportField("Description", "Description", .text(d.description)), ReportField("KmsKeyId", "KMS key", .text(d.kmsKeyId)),
            ReportField("CreatedDate", "Created", .date(d.created)), ReportField("LastChangedDate", "Last changed", .date(d.lastChanged)),
            ReportField("LastAccessedDate", "Last accessed", .date(d.lastAccessed)), ReportField("DeletedDate", "Deletion date", .date(d.deletionDate)),
            ReportField("RotationEnabled", "Rotation", .flag(d.rotationEnabled), display: d.rotationEnabled ? "enabled" : "off"),
            ReportField("Tags", "Tags", .list(d.tags.map { .record([ReportField("Key", "", .text($0.key)), ReportField("Value", "", .text($0.value))]) }),
                        display: d.tags.isEmpty ? nil : d.tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ")),
            ReportField("Versions", "Versions", .list(d.versions.map { .record([ReportField("VersionId", "", .text($0.id)),
                                                                               ReportField("Stages", "", .texts($0.stages))]) })),
        ])
    }

    public static func list(_ entries: [SecretMetadata]) -> Report {
        .table([Report.Column("Name", "Name"), Report.Column("LastChangedDate", "Last changed"), Report.Column("Description", "Description"),
                Report.Column("ARN", "ARN"), Report.Column("CreatedDate", "Created")],
               entries.map { [.text($0.name), .date($0.lastChanged), .text($0.description), .text($0.arn), .date($0.created)] })
    }
}
