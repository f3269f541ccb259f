/// "Did you mean": the known names closest to a mistyped one, by edit distance (insertions,
/// deletions, substitutions and swaps of two neighbours, each counting 1; case ignored).
public enum NearestNames {
    /// The names within reach of `typed`, nearest first (ties in the order given): a distance of
    /// at most a third of the longer name (at least 1, at most 3), or a name that starts with what
    /// was typed or that what was typed starts with.
    public static func nearest(to typed: String, in names: [String], limit: Int = 3) -> [String] {
        let t = typed.lowercased()
        guard !t.isEmpty else { return [] }
        var scored: [(name: String, distance: Int, order: Int)] = []
        for (order, name) in names.enumerated() where name != typed {
            let n = name.lowercased()
            let d = distance(t, n)
            let reach = min(3, max(1, max(t.count, n.count) / 3))
            let prefix = min(t.count, n.count) >= 3 && (n.hasPrefix(t) || t.hasPrefix(n))
            if d <= reach || prefix { scored.append((name, d, order)) }
        }
        return scored.sorted { ($0.distance, $0.order) < ($1.distance, $1.order) }.prefix(limit).map(\.name)
    }

    /// The optimal-string-alignment distance between two strings, by character.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var row = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    row[j] = min(row[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, row) = (previous, row, previous2)
        }
        return previous[y.count]
    }

    /// ` did you mean 'a'?` / ` did you mean 'a' or 'b'?`, or "" when nothing is near.
    public static func suggestion(for typed: String, in names: [String], quote: String = "'") -> String {
        let near = nearest(to: typed, in: names)
        guard !near.isEmpty else { return "" }
        let quoted = near.map { quote + $0 + quote }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return "did you mean \(list)?"
    }
}
