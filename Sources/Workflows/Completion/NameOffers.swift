/// What a parameter-name completion asks and offers. The service is asked for the names under
/// the typed word's folder (`/app/` for `/app/d`); offered are those starting with the typed
/// word, one level at a time: `/app/db/` for `/app/db/user` and `/app/db/password`, the name
/// itself at the last level. A relative word (no leading `/`) with a root (`--prefix`/`--env`,
/// `CREDCTL_PARAMS_PREFIX`/`CREDCTL_PARAMS_ENV`) is completed under the root, relative again.
public struct ParameterNameOffers: Sendable, Equatable {
    public let typed: String
    /// `/APP/STAGING/` for a relative word under a root; empty otherwise.
    public let base: String

    public init(typed: String, root: String?) {
        self.typed = typed
        if let root, !typed.hasPrefix("/") { base = root + "/" } else { base = "" }
    }

    /// The `BeginsWith` value asked for: the folder of the full word (the root's for a bare
    /// relative word; nothing, the unfiltered listing, for a word without `/` and no root).
    public var query: String { CompletionNames.folder(of: base + typed) }

    /// The typed word in full: asked for instead when the folder has more names than are read.
    public var narrowQuery: String { base + typed }

    /// The next level under the typed word. A lone folder is opened (its own next level offered
    /// instead), so that the shell inserts the folder and shows what is in it rather than
    /// ending the word there.
    public func offers(_ entry: CompletionCache.Entry) -> [String] {
        var full = base + typed
        var offers = Self.level(under: full, of: entry.names)
        while offers.count == 1, let only = offers.first, only.hasSuffix("/"), only != full {
            full = only
            offers = Self.level(under: full, of: entry.names)
        }
        let relative = offers.map { String($0.dropFirst(base.count)) }.filter { !$0.isEmpty }
        return Array(relative.prefix(CompletionNames.limit))
    }

    /// The names and folders one level under `full`, sorted: `/a/` for `/a/b` under `` or `/`.
    static func level(under full: String, of names: [String]) -> [String] {
        var seen = Set<String>()
        for name in names where name.hasPrefix(full) && CompletionNames.isParameterName(name) {
            var rest = name.dropFirst(full.count)
            // The root's own slash does not end a level: `/app/` is the first under nothing.
            let skipped = full.isEmpty && rest.hasPrefix("/") ? 1 : 0
            rest = rest.dropFirst(skipped)
            if let slash = rest.firstIndex(of: "/") {
                seen.insert(full + (skipped == 1 ? "/" : "") + rest[...slash])
            } else {
                seen.insert(name)
            }
        }
        return seen.sorted()
    }
}

/// What a secret completion asks and offers: names starting with the typed word (the service
/// asked for those under its folder), or, for a word starting with `arn:`, the ARNs.
public struct SecretNameOffers: Sendable, Equatable {
    public let typed: String

    public init(typed: String) { self.typed = typed }

    var isARN: Bool { typed.hasPrefix("arn:") }

    /// The name filter asked for: the typed word's folder, or for an ARN, the folder of the name
    /// it spells after `:secret:`.
    public var query: String {
        guard isARN else { return CompletionNames.folder(of: typed) }
        // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX
        return CompletionNames.folder(of: narrowQuery)
    }

    /// The typed name (or the name an ARN spells so far) in full: asked for instead when the
    /// folder has more names than are read.
    public var narrowQuery: String {
        guard isARN else { return typed }
        let parts = typed.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        return parts.count == 7 && parts[5] == "secret" ? String(parts[6]) : ""
    }

    public func offers(_ entry: CompletionCache.Entry) -> [String] {
        let wanted = entry.names.filter { name in
            name.hasPrefix(typed) && (isARN ? name.hasPrefix("arn:") && CompletionNames.isSecretARN(name)
                                            : !name.hasPrefix("arn:") && CompletionNames.isSecretName(name))
        }
        return Array(Set(wanted).sorted().prefix(CompletionNames.limit))
    }
}
