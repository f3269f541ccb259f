/// What one provider answered.
public enum ProviderOutcome: Sendable {
    case found(Credentials)
    /// Nothing here; the reason says what was looked at.
    case notFound(String)
}
