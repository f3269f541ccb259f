import AWSClients
import AWSConfig
import AWSCore
import SigV4

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
                                            from: .assumeRole, now: now)
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
            let scope = ProviderScope(context: context, profile: ProfileSelection(name: name, source: .flag), chain: .sourceProfile)
            let chain = CredentialChain(providers: ProviderRegistry.providers(for: scope), now: context.now)
            let (credentials, attempts) = try chain.firstFound()
            if let credentials { return credentials }
            throw .configuration(ConfigurationError(
                "source profile '\(name)' has no credentials (\(CredentialChain.describe(attempts)))"))
        case .credentialSource(let source, let profile):
            // RoleProfile accepts only the names of registered credential sources.
            guard let registration = ProviderRegistry.credentialSource(named: source) else {
                throw .configuration(ConfigurationError("credential_source '\(source)' of profile '\(profile)' names no provider"))
            }
            let scope = ProviderScope(context: context, profile: ProfileSelection(name: profile, source: .flag), chain: .credentialSource)
            let provider = registration.make(scope)
            switch try provider.resolve() {
            case .found(let credentials): return try CredentialChecks.usable(credentials, from: provider.kind, now: context.now())
            case .notFound(let reason):
                throw .noCredentials("credential_source \(source) of profile '\(profile)' found no credentials: \(reason)")
            }
        }
    }
}
