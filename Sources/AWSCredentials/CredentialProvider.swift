import AWSCore

/// One source of credentials. Providers take resolved settings, never read the environment or
/// files themselves, and always say why they did not answer.
public protocol CredentialProvider: Sendable {
    /// A short name for reports: `environment`, `shared-credentials-file`, …
    var name: String { get }
    func resolve() throws(AWSError) -> ProviderOutcome
}

public enum ProviderOutcome: Sendable {
    case found(Credentials)
    /// Nothing here; the reason says what was looked at.
    case notFound(String)
}

/// What one provider did during a resolution.
public struct ProviderAttempt: Sendable, Equatable {
    public var provider: String
    public var outcome: String

    public init(provider: String, outcome: String) {
        self.provider = provider
        self.outcome = outcome
    }
}
