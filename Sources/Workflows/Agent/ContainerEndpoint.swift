import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import CredentialServer

/// `agent start --container-port N`: the credentials server's code serving every profile at
/// `http://127.0.0.1:N/profile/NAME` with the agent's token, in the container-credentials format
/// botocore's ContainerProvider reads. Each profile is resolved through the agent (what it holds
/// serves without a call), refreshed by the server before it expires.
enum ContainerEndpoint {
    static func start(_ agent: AgentService, environment: Environment) throws(AWSError) -> CredentialServer? {
        guard let port = agent.options.containerPort else { return nil }
        var variables = environment.variables
        variables[AgentSocketPath.variable] = "off"
        let agentEnvironment = Environment(variables)
        do {
            return try CredentialServer.startProfiles(port: port, options: CredentialServerOptions(now: agent.now)) { profile in
                guard ProfileName.isPlausible(profile) else { return nil }
                return { () throws -> ServedCredentials in
                    let request = AgentCredentialRequest(source: .chain, profile: profile, region: nil, mfaCode: nil, environment: agentEnvironment)
                    let found = try agent.resolveHeld(request)
                    return ServedCredentials(credentials: found.credentials.signing, expiration: found.credentials.expiration)
                }
            }
        } catch {
            throw .configuration(ConfigurationError("credctl agent: the container endpoint: \(error)"))
        }
    }
}

/// A profile name as a URL path segment may carry it: printable, no spaces or slashes.
enum ProfileName {
    static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128 && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x2F && $0 != 0x25 }
    }
}

extension AgentService {
    /// A resolution with nobody to ask (the container endpoint): one at a time per profile, as for clients.
    func resolveHeld(_ request: AgentCredentialRequest) throws(AWSError) -> CredentialChain.Resolution {
        let answer = credentials(request.json, questions: ClientQuestions(fd: -1))
        if let error = answer["error"] { throw AgentWire.decodeError(error) }
        guard let found = answer["credentials"].flatMap(AgentWire.decodeResolution) else {
            throw .noCredentials("the agent resolved no credentials for profile '\(request.profile ?? "")'")
        }
        return found
    }
}
