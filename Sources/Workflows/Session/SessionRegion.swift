import AWSConfig
import AWSCore
import Synchronization

/// The region of a run: the configured one (`--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// profile's `region`), else, as the AWS CLI v2 does, the EC2 instance's from instance metadata,
/// looked up once, when a command first needs a region.
final class SessionRegion: Sendable {
    let configured: ConfiguredRegion
    private let environment: Environment
    private let profile: Profile?
    private let log: DebugLog
    private let metadata = Mutex<InstanceMetadataRegion.Outcome?>(nil)

    init(configured: ConfiguredRegion, environment: Environment, profile: Profile?, log: DebugLog) {
        self.configured = configured
        self.environment = environment
        self.profile = profile
        self.log = log
    }

    /// Nil when there is none. Only a broken instance-metadata setting is an error.
    func region() throws(AWSError) -> ResolvedRegion? {
        if let region = configured.region { return region }
        guard configured.mayAskInstanceMetadata else { return nil }
        // Under the lock, so that concurrent callers wait for one lookup.
        let outcome = try metadata.withLock { (known: inout InstanceMetadataRegion.Outcome?) throws(AWSError) -> InstanceMetadataRegion.Outcome in
            if let known { return known }
            let outcome = try lookUp()
            known = outcome
            return outcome
        }
        if case .found(let region) = outcome { return region }
        return nil
    }

    /// Why instance metadata gave no region, once it was asked (and not turned off).
    var note: String? {
        guard case .none(let why)? = metadata.withLock({ $0 }), why != InstanceMetadataRegion.disabledReason else { return nil }
        return why
    }

    /// What the debug log says at the start.
    var configuredDescription: String {
        configured.region.map { "\($0.name) (from \($0.source))" }
            ?? configured.emptiedBy.map { "not set (\($0) is empty)" } ?? "not configured"
    }

    private func lookUp() throws(AWSError) -> InstanceMetadataRegion.Outcome {
        let outcome: InstanceMetadataRegion.Outcome
        do {
            let settings = try InstanceMetadataSettings.resolve(environment, profile: profile)
            outcome = try InstanceMetadataRegion(settings: settings, log: log).lookUp()
        } catch {
            throw error.awsError
        }
        switch outcome {
        case .found(let r): log("region \(r.name) (from \(r.source))")
        case .none(let why): log("region: none from instance metadata: \(why)")
        }
        return outcome
    }
}
