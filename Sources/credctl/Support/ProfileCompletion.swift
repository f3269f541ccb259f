import ArgumentParser
import AWSConfig
import AWSCore
import Workflows

/// Shell completion for `--profile`: the profile names of the shared config and credentials
/// files (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE honoured). The shell calls
/// `credctl ---completion …` on each Tab; a file that cannot be read offers nothing rather
/// than printing an error into the user's command line. The shell filters by what is typed.
/// A name bash would expand (`$(…)`, `~`, quotes: `compgen -W` expands the words it is given)
/// is not offered: the files may hold names written by others (`sso sync` names profiles after
/// the portal's accounts).
enum ProfileCompletion {
    static let kind = CompletionKind.custom { _, _, _ in profileNames() }

    static func profileNames() -> [String] {
        ((try? SharedConfigFiles.load(Environment.current()))?.profileNames ?? []).filter(CompletionNames.isProfileName)
    }
}
