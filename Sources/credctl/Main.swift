import ArgumentParser
import AWSCore
import Workflows
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Credctl: ParsableCommand {
    /// The global options, taken before the command too (`credctl --profile p whoami`, moved
    /// after it by `ArgumentOrder`). Hidden here: declared so that shell completion of
    /// `credctl --profile <Tab>` offers profile names, as after the command.
    @OptionGroup var global: GlobalOptions

    static let configuration = CommandConfiguration(
        commandName: "credctl",
        abstract: "A fast, careful AWS credential manager.",
        discussion: ExitStatus.helpText,
        version: CredctlVersion.description,
        subcommands: [WhoamiCommand.self, ProfilesCommand.self, CredsCommand.self, SSOCommand.self, AssumeCommand.self, RotateCommand.self, KeysCommand.self, SetupCommand.self,
                      PolicyCommand.self, DynamoDBCommand.self, CheckCommand.self, DoctorCommand.self, ParamsCommand.self,
                      SecretsCommand.self, VaultCommand.self, ConsoleCommand.self, RequestCommand.self, LoginCommand.self, LogoutCommand.self, AgentCommand.self, CachedCommand.self]
    )
}

@main
enum Main {
    static func main() {
        do {
            let arguments = ArgumentOrder.normalized(Array(CommandLine.arguments.dropFirst()))
            try CommandNames.check(arguments)
            var command = try Credctl.parseAsRoot(arguments)
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
