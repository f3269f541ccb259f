import AWSConfig

/// The `credential_process` line that makes a vault profile reachable by the AWS CLI and every
/// SDK: `PROGRAM vault credential-process --profile NAME`. credctl recognises its own line,
/// so that its chain can read the vault directly instead of running itself.
public enum VaultReference {
    public static let subcommand = ["vault", "credential-process"]

    /// The line for `profile`, each word quoted for the POSIX-shell splitting botocore applies;
    /// a vault in another backend than the file names it, so every consumer opens the same vault.
    public static func commandLine(program: String, profile: String, backend: VaultBackendKind? = nil) -> String {
        var words = [program] + subcommand + ["--profile", profile]
        if let backend, backend != .file { words += ["--backend", backend.rawValue] }
        return words.map(quoted).joined(separator: " ")
    }

    /// The backend a vault line names (`--backend X`), nil when it names none.
    public static func backend(inCommandLine line: String) -> VaultBackendKind? {
        guard let words = ShellWords.split(line), let i = words.firstIndex(of: "--backend"), i + 1 < words.count else { return nil }
        return VaultBackendKind(rawValue: words[i + 1])
    }

    /// The vault profile a `credential_process` line reads, nil when it is not credctl's vault line.
    public static func profile(inCommandLine line: String) -> String? {
        guard let words = ShellWords.split(line), words.count >= 3,
              words[0] == "credctl" || words[0].hasSuffix("/credctl"),
              Array(words[1...2]) == subcommand else { return nil }
        var rest = words.dropFirst(3)
        var profile: String?
        while let word = rest.popFirst() {
            if word == "--profile" { profile = rest.popFirst() }
            else if word.hasPrefix("--profile=") { profile = String(word.dropFirst("--profile=".count)) }
            else if word == "--backend" { _ = rest.popFirst() }
        }
        return profile
    }

    /// The word unchanged when a shell would read it back as is, else in single quotes.
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || "@%+=:,./_-".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
