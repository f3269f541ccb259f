import AWSCore

/// One operation of a service API, and whether sending it twice is harmless. Every client lists
/// its operations in an enum conforming to this, so that which calls are not idempotent is
/// written down once, next to the service, and the transport and retry policy act on it.
public protocol ServiceOperation: Sendable {
    /// The API name, e.g. `CreateAccessKey`.
    var name: String { get }
    var safety: RepeatSafety { get }
}

extension ServiceOperation where Self: RawRepresentable, RawValue == String {
    public var name: String { rawValue }
}
