import ArgumentParser
import AWSCore
import Workflows

/// The words that name a command (`credctl keys list`, `credctl help keys list`), checked
/// before parsing: an unknown one is a usage error that names the nearest commands, where the
/// parser would only say "unexpected argument" (or print the top-level help for `help`).
enum CommandNames {
    static func check(_ arguments: [String]) throws {
        var words = arguments[...]
        let help = words.first == "help"
        if help {
            words = words.dropFirst()
            // `help` takes command names only (the global options the root command declares for
            // completion are not help's).
            if let option = words.first(where: { $0.hasPrefix("-") }) {
                throw CommandInputError("Unknown option '\(option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option)'")
            }
        }
        var command: ParsableCommand.Type = Credctl.self
        var path: [String] = []
        while let word = words.first, !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return }
            let names = subcommands.map(name) + (path.isEmpty && !help ? ["help"] : [])
            if word == "help", path.isEmpty, !help { return }
            guard let next = subcommands.first(where: { name($0) == word }) else {
                throw unknown(word, path: path, names: names, help: help)
            }
            command = next
            path.append(word)
            words = words.dropFirst()
        }
    }

    static func name(_ command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }

    private static func unknown(_ word: String, path: [String], names: [String], help: Bool) -> CommandInputError {
        let parent = (["credctl"] + path).joined(separator: " ")
        let what = path.isEmpty ? "command" : "subcommand"
        let of = path.isEmpty ? "" : " of '\(parent)'"
        let message = help ? "no help for '\(word)': there is no such \(what)\(of)" : "unknown \(what) '\(word)'\(of)"
        let near = NearestNames.suggestion(for: word, in: names, quote: "`")
        let list = path.isEmpty ? "`credctl help` lists every command" : "`credctl help \(path.joined(separator: " "))` lists its subcommands"
        let hint = near.isEmpty ? "the \(what)s are \(names.joined(separator: ", ")); \(list)" : "\(near) (\(list))"
        return CommandInputError(message, hint: hint)
    }
}
