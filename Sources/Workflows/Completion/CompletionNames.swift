/// What a completion may offer: the shell reads the list it is given, and bash's `compgen -W`
/// expands each word (`$VAR`, `$(command)`, `~`), so a name from the network is offered only
/// when it is made of the characters the service allows in its names (none of them a shell's),
/// and a list is cut at `limit`.
public enum CompletionNames {
    /// The most names one completion offers.
    public static let limit = 300

    /// Parameter names: letters, digits and `_.-/` (Parameter Store's rule).
    public static func isParameterName(_ name: String) -> Bool { allASCII(name, alsoAllowed: "_.-/") }

    /// Secret names: letters, digits and `/_+=.@-` (Secrets Manager's rule).
    public static func isSecretName(_ name: String) -> Bool { allASCII(name, alsoAllowed: "/_+=.@-") }

    /// Secret ARNs: a secret name's characters and `:`.
    public static func isSecretARN(_ name: String) -> Bool { allASCII(name, alsoAllowed: "/_+=.@-:") }

    /// Profile names: letters, digits and `-_.@+:=,%/` (no character a shell expands or splits on).
    public static func isProfileName(_ name: String) -> Bool { allASCII(name, alsoAllowed: "-_.@+:=,%/") }

    static func allASCII(_ name: String, alsoAllowed: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 2048 && name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || alsoAllowed.unicodeScalars.contains(c)
        }
    }

    /// The folder part of a typed word: everything through its last `/` (all of `/a/b/`, `/a/`
    /// of `/a/b`, nothing of `name`). What is asked of the service, so that one answer serves
    /// every Tab within a level.
    public static func folder(of typed: String) -> String {
        guard let slash = typed.lastIndex(of: "/") else { return "" }
        return String(typed[...slash])
    }

    /// The folders that hold `query`, nearest first, the unfiltered listing (``) last:
    /// `/a/`, `/`, `` for `/a/b/` (or `/a/b`).
    public static func enclosingFolders(of query: String) -> [String] {
        var folders: [String] = []
        var rest = query.hasSuffix("/") ? String(query.dropLast()) : query
        while !rest.isEmpty {
            let folder = self.folder(of: rest)
            folders.append(folder)
            rest = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        }
        if folders.last != "" { folders.append("") }
        return query.isEmpty ? [] : folders
    }
}
