import AWSCore

/// One source of credentials. Providers take resolved settings, never read the environment or
/// files themselves, and always say why they did not answer. Each is listed once, at its place
/// in the chain, in `ProviderRegistry`.
public protocol CredentialProvider: Sendable {
    /// What kind of provider this is: its name in reports and the `Provenance` of what it finds.
    var kind: Provenance.Provider { get }
    func resolve() throws(AWSError) -> ProviderOutcome
}
