import AWSCore

/// What `creds show`, `creds export` and `creds exec` do with the session's credentials: the
/// commands parse and print; the credentials are resolved here.
public struct CredentialsWorkflow: Sendable {
    public let session: AWSSession

    public init(session: AWSSession) { self.session = session }

    /// Every setting that decided the credentials, with the credentials (secrets masked).
    public func show() throws(AWSError) -> Report {
        try CredentialsReport.show(try session.resolveCredentials(), session: session)
    }

    /// The credentials in one of the export formats, with the configured region only (an export
    /// run as a `credential_process` never waits on instance metadata for one).
    public func export(_ format: CredentialExportFormat) throws(AWSError) -> String {
        try CredentialExport(credentials: try session.resolveCredentials().credentials,
                             region: session.configuredRegion.region?.name).render(format)
    }

    /// A child's environment: `base` with the credentials, the region and the marker set, the
    /// variables that would contradict them removed.
    public func execEnvironment(over base: [String: String], marker: String) throws(AWSError) -> [String: String] {
        ExecEnvironment.withKeys(try session.resolveCredentials().credentials, over: base, marker: marker,
                                 region: session.configuredRegion.region?.name)
    }
}
