/// What one provider did during a resolution.
public struct ProviderAttempt: Sendable, Equatable {
    public var provider: Provenance.Provider
    public var outcome: String

    public init(provider: Provenance.Provider, outcome: String) {
        self.provider = provider
        self.outcome = outcome
    }
}
