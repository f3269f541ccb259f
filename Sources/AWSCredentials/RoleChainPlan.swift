import AWSClients
import AWSConfig
import AWSCore

/// The chain a role profile leads to, worked out from the files alone (so that loops and
/// missing profiles are reported before any call): the first credentials, then the roles to
/// assume in turn, the requested profile's last.
struct RoleChainPlan {
    enum Base {
        case profile(String)
        case credentialSource(String, profile: String)
    }

    var base: Base
    var roles: [RoleProfile]

    init(start: String, files: SharedConfigFiles) throws(AWSError) {
        var visited = [start]
        var outerFirst: [RoleProfile] = []
        var current = start
        var found: Base?
        while found == nil {
            guard let profile = files.profile(current) else {
                throw .configuration(ConfigurationError("there is no profile '\(current)'"))
            }
            let role = try RoleProfile(profile)
            outerFirst.append(role)
            switch role.source {
            case .credentialSource(let name):
                found = .credentialSource(name, profile: current)
            case .profile(let next):
                guard let sourceProfile = files.profile(next) else {
                    throw .configuration(ConfigurationError(
                        "source_profile '\(next)' of profile '\(current)' (\(role.location)) does not exist in \(files.configPath) or \(files.credentialsPath); \(files.closestProfiles(to: next))"))
                }
                // A profile may name itself to use its own static keys; any other revisit is a loop.
                if visited.contains(next), next != current || !RoleProfile.hasStaticKeys(sourceProfile) {
                    throw .configuration(ConfigurationError(
                        "source_profile loop: \((visited + [next]).joined(separator: " -> ")); a chain must end at a profile with credentials"))
                }
                visited.append(next)
                if RoleProfile.hasStaticKeys(sourceProfile) || !RoleProfile.applies(to: sourceProfile) {
                    found = .profile(next)
                } else {
                    current = next
                }
            }
        }
        base = found!
        roles = outerFirst.reversed()
        for role in roles.dropFirst() {
            if let seconds = role.durationSeconds, let problem = STSParameterRules.durationProblem(seconds, chained: true) {
                throw .configuration(ConfigurationError("profile '\(role.profile)' (\(role.location)): duration_seconds: \(problem)"))
            }
        }
    }

    /// Each step in words, first credentials first.
    var description: [String] {
        let first: String
        switch base {
        case .profile(let name): first = "profile \(name)"
        case .credentialSource(let source, let profile): first = "credential_source \(source) (profile \(profile))"
        }
        return [first] + roles.map { "\($0.roleArn) (profile \($0.profile))" }
    }
}
