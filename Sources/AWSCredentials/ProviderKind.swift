extension Provenance {
    /// What kind of provider found credentials: the one identity a provider has, in reports
    /// (`whoami`, `doctor`, `--debug`) and in code. Each provider declares its own kind as a
    /// static constant beside its type (`Provenance.Provider.environment` in
    /// `EnvironmentCredentialsProvider.swift`), so that a new provider adds no line here.
    public struct Provider: Hashable, Sendable, CustomStringConvertible {
        /// The name shown in reports and JSON: `environment`, `shared-credentials-file`, …
        public let rawValue: String

        public init(_ rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }
    }
}
