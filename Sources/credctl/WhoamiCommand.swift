import ArgumentParser
import AWSCore
import AWSCredentials
import Workflows

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the resolved credentials belong to, and where they and the region came from.",
        discussion: """
            Calls STS GetCallerIdentity (which needs no permission) and reports the account, ARN and
            user id, the key type (AKIA long-term or ASIA temporary), which provider supplied the
            credentials and by which rule, and where the region came from. The secret key and
            session token are never printed; the key id is masked.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            let report = try WhoAmI.run(try global.session())
            StandardStream.output.write(Self.output(report).render(global.output))
        }
    }

    static func output(_ r: WhoAmIReport) -> RecordOutput {
        let p = r.credentials.provenance
        let expiry = r.credentials.expiration.map { Timestamp.format($0) }
        let keyType = r.credentials.keyType
        var keyNote: String?
        if keyType == .temporary, r.credentials.signing.sessionToken == nil {
            keyNote = "ASIA key without a session token: temporary keys need AWS_SESSION_TOKEN / aws_session_token"
        }
        let json: JSONValue = .object([
            ("Account", .string(r.identity.account)),
            ("Arn", .string(r.identity.arn)),
            ("UserId", .string(r.identity.userId)),
            ("AccessKeyId", .string(Redaction.keyId(r.credentials.accessKeyId))),
            ("KeyType", .string(KeyTypeText.short(keyType))),
            ("Credentials", ProvenanceOutput.json(p, expiration: expiry, attempts: r.attempts)),
            ("Region", .object([("Name", .optional(r.region?.name)), ("Source", .optional(r.region?.source))])),
            ("Endpoint", .object([("Url", .string(r.endpoint.url.description)), ("Source", .string(r.endpoint.source))])),
        ])
        var fields: [(key: String, label: String, value: String?)] = [
            ("account", "Account", r.identity.account),
            ("arn", "ARN", r.identity.arn),
            ("user_id", "User id", r.identity.userId),
            ("access_key_id", "Access key", Redaction.keyId(r.credentials.accessKeyId)),
            ("key_type", "Key type", keyType.rawValue),
            ("key_note", "Note", keyNote),
        ]
        fields += ProvenanceOutput.fields(p, expiration: expiry)
        fields += [
            ("region", "Region", r.region.map { "\($0.name) (from \($0.source))" } ?? "not set"),
            ("endpoint", "Endpoint", "\(r.endpoint.url) (\(r.endpoint.source))"),
        ]
        return RecordOutput(fields: fields, json: json)
    }
}
