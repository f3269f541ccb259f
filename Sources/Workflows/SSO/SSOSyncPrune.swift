import AWSClients
import AWSCredentials

/// `sso sync --prune`: finds the profiles an earlier `sso sync` wrote for this session whose
/// account or role the session can no longer reach, and removes them — only those sync wrote.
///
/// A profile counts as written by sync when it sits in a block `sso sync` appended: after the
/// comment line `# Added by credctl sso sync from LABEL (START URL)` naming this session, a run of
/// sections (blank lines between them) each exactly as sync writes them — `[profile NAME]`, then
/// `sso_session` (or, legacy, `sso_start_url` and `sso_region`) for this session,
/// `sso_account_id`, `sso_role_name`, `region`, one `key = value` line each, nothing else. A
/// profile someone edited (another key, another value for the session) is no longer sync's and is
/// never removed; the block goes on through `[profile …]` sections and ends at any other section,
/// a comment line or the end of the file.
/// Removing a profile removes its lines and the blank line before it; a block left empty loses
/// its comment too. Every other byte stays.
public struct SSOSyncPrune: Sendable {
    /// A profile sync wrote, with the lines it occupies (0-based, `lines` inclusive).
    public struct Written: Sendable, Equatable {
        public var name: String
        public var accountId: String
        public var roleName: String
        var lines: ClosedRange<Int>
        /// The line of the block's comment.
        var commentLine: Int
    }

    public let session: SSOSession

    public init(session: SSOSession) { self.session = session }

    var marker: String { "# Added by credctl sso sync from \(session.label) (\(session.startURL))" }

    /// Every profile sync wrote for this session, in file order.
    public func written(in text: String) -> [Written] {
        let lines = Self.lines(text)
        var found: [Written] = []
        var i = 0
        while i < lines.count {
            guard lines[i] == marker else { i += 1; continue }
            let comment = i
            i += 1
            while true {
                var j = i
                while j < lines.count, lines[j].allSatisfy({ $0 == " " || $0 == "\t" }) { j += 1 }
                guard j < lines.count, lines[j].hasPrefix("[profile ") else { i = j; break }
                if let profile = section(at: j, in: lines) {
                    found.append(Written(name: profile.name, accountId: profile.account, roleName: profile.role,
                                         lines: j...(j + profile.length - 1), commentLine: comment))
                    i = j + profile.length
                } else {
                    // Edited (or not sync's): kept, and the block goes on after it.
                    j += 1
                    while j < lines.count, !lines[j].hasPrefix("["), !lines[j].hasPrefix("#") { j += 1 }
                    i = j
                }
            }
        }
        return found
    }

    /// The profiles to remove: written by sync, and their account and role no longer reachable.
    public func stale(_ written: [Written], reachable: [SSOAccountRoles]) -> [Written] {
        var pairs: Set<String> = []
        for a in reachable { for r in a.roles { pairs.insert("\(a.account.accountId)\u{0}\(r)") } }
        return written.filter { !pairs.contains("\($0.accountId)\u{0}\($0.roleName)") }
    }

    /// `text` without the `removed` profiles (and a comment whose block is left empty).
    public func removing(_ removed: [Written], from text: String, all: [Written]) -> String {
        let lines = Self.lines(text)
        var drop: Set<Int> = []
        for w in removed {
            drop.formUnion(w.lines)
            // The blank line sync put before it.
            if w.lines.lowerBound > 0, lines[w.lines.lowerBound - 1].isEmpty { drop.insert(w.lines.lowerBound - 1) }
        }
        let removedLines = Set(removed.map(\.lines.lowerBound))
        for comment in Set(all.map(\.commentLine)) where all.filter({ $0.commentLine == comment }).allSatisfy({ removedLines.contains($0.lines.lowerBound) }) {
            drop.insert(comment)
            // The blank line before the comment, that sync added to separate its block.
            if comment > 0, lines[comment - 1].isEmpty { drop.insert(comment - 1) }
        }
        let kept = lines.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        let eol = text.contains("\r\n") ? "\r\n" : "\n"
        return kept.joined(separator: eol) + (Self.endsWithLineEnd(text) && !kept.isEmpty ? eol : "")
    }

    /// The section sync writes, at `start`: its name, account, role and number of lines.
    func section(at start: Int, in lines: [String]) -> (name: String, account: String, role: String, length: Int)? {
        guard start < lines.count, lines[start].hasPrefix("[profile "), lines[start].hasSuffix("]") else { return nil }
        let name = String(lines[start].dropFirst("[profile ".count).dropLast())
        var expected: [String] = session.name.map { ["sso_session = \($0)"] }
            ?? ["sso_start_url = \(session.startURL)", "sso_region = \(session.region)"]
        expected += ["sso_account_id = ", "sso_role_name = ", "region = "]
        guard !name.isEmpty, start + expected.count < lines.count + 1 else { return nil }
        var values: [String] = []
        for (k, want) in expected.enumerated() {
            let index = start + 1 + k
            guard index < lines.count else { return nil }
            let line = lines[index]
            if want.hasSuffix(" = ") {
                guard line.hasPrefix(want), line.count > want.count else { return nil }
                values.append(String(line.dropFirst(want.count)))
            } else {
                guard line == want else { return nil }
            }
        }
        // Nothing else in the section: the next line is blank, another section, or the end.
        let after = start + 1 + expected.count
        if after < lines.count, !lines[after].isEmpty, !lines[after].hasPrefix("[") { return nil }
        return (name, values[0], values[1], expected.count + 1)
    }

    /// Lines without their ends (`\n` or `\r\n`, which Swift counts as one character).
    static func lines(_ text: String) -> [String] {
        var out = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if endsWithLineEnd(text) { out.removeLast() }
        return out
    }

    static func endsWithLineEnd(_ text: String) -> Bool { text.last == "\n" || text.last == "\r\n" }
}
