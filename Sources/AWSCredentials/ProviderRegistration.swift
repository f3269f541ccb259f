/// A provider as the chain knows it: its kind, the settings it reads, the chains it takes part
/// in, and how to build it for a scope. Each provider declares its registration beside its
/// type (`static let registration`); `ProviderRegistry` lists them in order.
public struct ProviderRegistration: Sendable {
    public let kind: Provenance.Provider
    /// The environment variables and profile keys it reads (through the settings resolved in
    /// `AWSConfig/Settings`), for `doctor` and the docs.
    public let reads: [String]
    /// The chains it takes part in besides `.standard`, where every provider is.
    public let chains: Set<ProviderScope.Chain>
    /// The `credential_source` value that names it (`Environment`, `EcsContainer`, …), if any.
    public let credentialSource: String?
    let make: @Sendable (ProviderScope) -> any CredentialProvider

    public init(kind: Provenance.Provider, reads: [String], alsoIn chains: Set<ProviderScope.Chain> = [], credentialSource: String? = nil,
                make: @escaping @Sendable (ProviderScope) -> any CredentialProvider) {
        self.kind = kind
        self.reads = reads
        self.chains = chains.union([.standard]).union(credentialSource == nil ? [] : [.credentialSource])
        self.credentialSource = credentialSource
        self.make = make
    }

    /// The provider for `scope`, nil when this provider takes no part in its chain.
    public func provider(for scope: ProviderScope) -> (any CredentialProvider)? {
        chains.contains(scope.chain) ? make(scope) : nil
    }
}
