import ArgumentParser
import AWSCore
import Workflows

struct Credctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credctl",
        abstract: "A fast, careful AWS credential manager.",
        discussion: ExitStatus.helpText,
        version: CredctlVersion.current,
        subcommands: [WhoamiCommand.self, CredsCommand.self, AssumeCommand.self, RotateCommand.self, KeysCommand.self, SetupCommand.self, PolicyCommand.self, DynamoDBCommand.self, CheckCommand.self, DoctorCommand.self, ParamsCommand.self, SecretsCommand.self, RequestCommand.self, VaultCommand.self]
    )
}

@main
enum Main {
    static func main() {
        do {
            var command = try Credctl.parseAsRoot()
            try command.run()
        } catch {
            let code = Credctl.exitCode(for: error)
            let message = Credctl.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { StandardStream.output.write(message + "\n") }
                exitProcess(0)
            }
            if !message.isEmpty { StandardStream.error.write(message + "\n") }
            // swift-argument-parser's usage errors exit 64; credctl documents 2.
            exitProcess(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
