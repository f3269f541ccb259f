import ArgumentParser
import AWSCore
import Workflows

/// Shell completion of parameter names (`params get /app/<Tab>`) and secret names (`secrets get
/// <Tab>`), read from the service with the profile, region and endpoint on the command line or
/// in the environment (`ResourceCompletion`: names only, at most 2 s, nothing when credentials
/// would need the user, cached 60 s). Nothing it runs may reach the shell: stdin and stderr
/// are pointed at /dev/null first, and any failure offers nothing.
enum NameCompletion {
    static let parameters = CompletionKind.custom { words, index, typed in offers(.parameters, words, index, typed) }
    static let secrets = CompletionKind.custom { words, index, typed in offers(.secrets, words, index, typed) }

    static func offers(_ kind: ResourceCompletion.Kind, _ words: [String], _ index: Int, _ typed: String) -> [String] {
        StandardStream.error.detachToNull()
        StandardStream.input.detachToNull()
        return ResourceCompletion.offers(kind, words: words, index: index, typed: wordBeforeCursor(words, index, typed),
                                         environment: Environment.current())
    }

    /// What is typed of the word being completed. fish 3 gives the cursor's place on the whole
    /// line, not in the word (0 from `complete -C`), so the word is taken whole there.
    static func wordBeforeCursor(_ words: [String], _ index: Int, _ typed: String) -> String {
        guard CompletionShell.requesting == .fish, words.indices.contains(index),
              let major = CompletionShell.requestingVersion?.split(separator: ".").first.flatMap({ Int($0) }), major < 4 else { return typed }
        return words[index]
    }
}
