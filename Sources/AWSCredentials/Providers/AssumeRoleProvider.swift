import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// A profile with `role_arn`: assumes the role with the credentials of its `source_profile`
/// (itself possibly a role: chains of any length) or its `credential_source`. Each role's
/// credentials are cached and reused until 15 minutes before they expire.
public struct AssumeRoleProvider: CredentialProvider {
    public let name = "assume-role"
    let context: CredentialContext
    let profileName: String

    public init(context: CredentialContext, profileName: String) {
        self.context = context
        self.profileName = profileName
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let profile = context.files.profile(profileName) else { return .notFound("there is no profile '\(profileName)'") }
        guard RoleProfile.applies(to: profile) else { return .notFound("profile '\(profileName)' has no role_arn") }
        let plan = try RoleChainPlan(start: profileName, files: context.files)
        return .found(try RoleChainResolver(context: context, plan: plan).credentials())
    }
}

/// The chain a role profile leads to, worked out from the files alone (so that loops and
/// missing profiles are reported before any call): the first credentials, then the roles to
/// assume in turn, the requested profile's last.
struct RoleChainPlan {
    enum Base {
        case profile(String)
        case credentialSource(CredentialSourceName, profile: String)
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
        case .credentialSource(let source, let profile): first = "credential_source \(source.rawValue) (profile \(profile))"
        }
        return [first] + roles.map { "\($0.roleArn) (profile \($0.profile))" }
    }
}

/// Turns a plan into credentials: the outermost role from the cache when fresh, otherwise its
/// source's credentials (recursively, each level cached) and one `AssumeRole`.
struct RoleChainResolver {
    let context: CredentialContext
    let plan: RoleChainPlan

    func credentials() throws(AWSError) -> Credentials {
        let outer = plan.roles[plan.roles.count - 1]
        let (signing, expiration, cached) = try roleCredentials(at: plan.roles.count - 1)
        let provenance = Provenance(provider: .assumeRole, profile: outer.profile, location: outer.location,
                                    roleChain: plan.description, fromCache: cached)
        return Credentials(signing: signing, expiration: expiration, provenance: provenance)
    }

    /// The credentials of `plan.roles[index]`, and whether they came from the cache.
    func roleCredentials(at index: Int) throws(AWSError) -> (SigningCredentials, Int, Bool) {
        let role = plan.roles[index]
        let now = context.now()
        let entry = context.cache?.load(role.cacheKey)
        if let entry, entry.expiration - now >= CredentialCache.refreshWindow {
            context.log("credentials: \(role.roleArn) from the cache, valid until \(Timestamp.format(entry.expiration))")
            return (entry.credentials, entry.expiration, true)
        }
        do {
            let source: SigningCredentials
            if index == 0 { source = try baseCredentials().signing } else { source = try roleCredentials(at: index - 1).0 }
            let code: String?
            if let serial = role.mfaSerial { code = try context.mfa.code(serial: serial, profile: role.profile) } else { code = nil }
            let request = AssumeRoleRequest(roleArn: role.roleArn, sessionName: role.sessionName ?? "credctl-\(now)",
                                            externalId: role.externalId, durationSeconds: role.durationSeconds,
                                            mfaSerial: role.mfaSerial, mfaCode: code)
            context.log("credentials: assuming \(role.roleArn) for profile \(role.profile)")
            let assumed = try context.sts(credentials: source).assumeRole(request)
            // Checked before they are cached or sign the next role's call, like any provider's.
            _ = try CredentialChecks.usable(Credentials(signing: assumed.credentials, expiration: assumed.expiration,
                                                        provenance: Provenance(provider: .assumeRole, profile: role.profile, location: role.location)),
                                            from: Provenance.Provider.assumeRole.rawValue, now: now)
            try context.cache?.store(CredentialCache.Entry(credentials: assumed.credentials, expiration: assumed.expiration,
                                                          assumedRoleArn: assumed.assumedRoleArn), key: role.cacheKey)
            return (assumed.credentials, assumed.expiration, false)
        } catch {
            // botocore's mandatory window: cached credentials with 10+ minutes left still serve.
            if let entry, entry.expiration - now >= CredentialCache.mandatoryWindow {
                context.log("credentials: refreshing \(role.roleArn) failed (\(error)); using cached credentials until \(Timestamp.format(entry.expiration))")
                return (entry.credentials, entry.expiration, true)
            }
            throw error
        }
    }

    func baseCredentials() throws(AWSError) -> Credentials {
        switch plan.base {
        case .profile(let name):
            let chain = CredentialChain(providers: ProfileCredentialChain.providers(context: context, profileName: name))
            let (credentials, attempts) = try chain.firstFound()
            if let credentials { return credentials }
            throw .configuration(ConfigurationError(
                "source profile '\(name)' has no credentials (\(CredentialChain.describe(attempts)))"))
        case .credentialSource(let source, let profile):
            let provider: any CredentialProvider
            switch source {
            case .environment:
                provider = EnvironmentCredentialsProvider(settings: context.settings.environmentKeys,
                                                          profile: ProfileSelection(name: profile, source: .flag))
            case .ecsContainer: provider = ContainerCredentialsProvider(context: context, settings: context.settings.container)
            case .ec2InstanceMetadata:
                provider = InstanceMetadataCredentialsProvider(context: context, settings: context.settings.instanceMetadata)
            }
            switch try provider.resolve() {
            case .found(let credentials): return try CredentialChecks.usable(credentials, from: provider.name, now: context.now())
            case .notFound(let reason):
                throw .noCredentials("credential_source \(source.rawValue) of profile '\(profile)' found no credentials: \(reason)")
            }
        }
    }
}

/// The providers that read one profile, as botocore uses them for a `source_profile`: web
/// identity (profile settings only), SSO, the credentials file, `credential_process`, the config file.
enum ProfileCredentialChain {
    static func providers(context: CredentialContext, profileName: String) -> [any CredentialProvider] {
        let profile = context.files.profile(profileName)
        return [
            WebIdentityProvider(context: context, settings: .resolve(environment: nil, profileName: profileName, profile: profile)),
            SSOCredentialsProvider(context: context, profileName: profileName),
            StaticProfileCredentialsProvider(file: .credentials, files: context.files, profileName: profileName),
            VaultCredentialsProvider(context: context, profileName: profileName,
                                     openVault: VaultCredentialsProvider.vaultOpener(environment: context.environment)),
            ProcessCredentialsProvider(context: context, settings: .resolve(profileName: profileName, profile: profile,
                                                                             environment: context.environment)),
            StaticProfileCredentialsProvider(file: .config, files: context.files, profileName: profileName),
        ]
    }
}
