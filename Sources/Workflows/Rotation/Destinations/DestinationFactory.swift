import AWSClients
import AWSConfig
import AWSCore
import Vault

/// Makes each destination of a rotation on the session's clients. One vault is opened for the
/// run, with a passphrase asked on the terminal at most once.
struct DestinationFactory: Sendable {
    let session: AWSSession
    let state: RotationState
    let report: @Sendable (String) -> Void
    /// The time limit of each command (`--command-timeout`).
    let commandTimeout: Double
    /// Every secret the run knows, masked in what its commands print.
    let mask = SecretMask()
    private let passphrase = PassphraseOnce()

    init(session: AWSSession, state: RotationState, commandTimeout: Double, report: @escaping @Sendable (String) -> Void) {
        self.session = session
        self.state = state
        self.commandTimeout = commandTimeout
        self.report = report
    }

    func make(_ spec: DestinationSpec) throws(AWSError) -> any KeyDestination {
        switch spec {
        case .profile(let name):
            return CredentialsFileDestination(profile: name, update: CredentialsFileUpdate(path: session.files.credentialsPath, state: state))
        case .vault(let profile):
            return VaultDestination(profile: profile, vault: try vault())
        case .secretsManager(let id, let idField, let secretField):
            return SecretsManagerDestination(id: id, idField: idField, secretField: secretField, client: try session.secretsManager())
        case .parameterStore(let path):
            return ParameterStoreDestination(path: path, store: ParameterStore(ssm: try session.ssm()))
        case .command(let command):
            return CommandDestination(command: DeliveryCommand(command: command, environment: session.environment, report: report,
                                                               timeout: commandTimeout, mask: mask, label: Self.label(spec)))
        }
    }

    /// The `--verify-cmd` runner.
    func verifier(_ command: String) -> DeliveryCommand {
        DeliveryCommand(command: command, environment: session.environment, report: report, timeout: commandTimeout, mask: mask,
                        label: "--verify-cmd")
    }

    /// A destination in progress lines: a long command cut to its first 40 characters.
    static func label(_ spec: DestinationSpec) -> String {
        let text = spec.description
        return text.count > 45 ? String(text.prefix(45)) + "…" : text
    }

    func vault() throws(AWSError) -> Vault {
        let environment = session.environment
        let settings: VaultSettings
        do { settings = try VaultSettings.resolve(environment: environment) } catch { throw error.awsError }
        let once = passphrase
        return Vault(settings: settings, passphrase: PassphraseSource(.resolve(command: nil, environment: environment), environment: environment,
                                                                       prompt: { once.prompt($0) }), environment: environment)
    }
}
