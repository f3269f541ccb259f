import ArgumentParser
import AWSCore
import Workflows
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Credctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credctl",
        abstract: "A fast, careful AWS credential manager.",
        discussion: ExitStatus.helpText,
        version: CredctlVersion.description,
        subcommands: [WhoamiCommand.self, ProfilesCommand.self, CredsCommand.self, SSOCommand.self, AssumeCommand.self, RotateCommand.self, KeysCommand.self, SetupCommand.self,
                      PolicyCommand.self, DynamoDBCommand.self, CheckCommand.self, DoctorCommand.self, ParamsCommand.self,
                      SecretsCommand.self, VaultCommand.self, ConsoleCommand.self, RequestCommand.self, LoginCommand.self, LogoutCommand.self]
    )
}

@main
enum Main {
    static func main() {
        do {
            var command = try Credctl.parseAsRoot(ArgumentOrder.normalized(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // Help and version are "errors" that exit 0: their text goes to stdout.
            if Credctl.exitCode(for: error) == .success {
                let message = Credctl.fullMessage(for: error)
                if !message.isEmpty { StandardStream.output.write(message + "\n") }
                exit(0)
            }
            exit(ErrorReport.report(error))
        }
    }
}
