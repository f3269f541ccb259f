/// The canonical request of SigV4, built from its parts. Each rule is its own function so that
/// a test can check one at a time.
public enum CanonicalRequest {
    /// Headers that proxies and HTTP stacks rewrite: never signed (botocore's list).
    public static let unsignedHeaderNames: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id", "transfer-encoding"]

    /// The canonical URI. Non-S3 services: dot segments removed, slashes collapsed, then every byte
    /// but the unreserved ones and `/` percent-encoded — so an already encoded path is encoded twice,
    /// as AWS expects. S3: the path as it is.
    public static func uri(path: String, normalizeAndEncode: Bool) -> String {
        let p = path.isEmpty ? "/" : path
        guard normalizeAndEncode else { return p }
        return URIEncoding.encode(removeDotSegments(p), keepSlash: true)
    }

    /// RFC 3986 dot-segment removal with empty segments dropped, keeping a trailing slash
    /// (botocore's `remove_dot_segments`).
    public static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
            } else {
                output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// The canonical query: each name and value decoded (`%XX`, and `+` as a space) then encoded
    /// again, pairs sorted by name then value; repeated names are kept.
    public static func query(_ raw: String) -> String {
        guard !raw.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for component in raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            let bytes = Array(component)
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                name = bytes[..<eq]
                value = bytes[(eq + 1)...]
            } else {
                name = bytes[...]
                value = []
            }
            pairs.append((reencode(name), reencode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return pairs.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    }

    private static func reencode(_ bytes: ArraySlice<UInt8>) -> String {
        let plusAsSpace = bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }
        return URIEncoding.encode(URIEncoding.decode(plusAsSpace))
    }

    /// A header value as SigV4 wants it: folded lines joined, leading and trailing spaces trimmed,
    /// runs of whitespace collapsed to one space.
    public static func headerValue(_ value: String) -> String {
        // Most values need nothing done: return them without copying.
        var clean = true
        var previousSpace = true  // a leading space is not clean
        for b in value.utf8 {
            let space = b == 0x20
            if b == 0x09 || b == 0x0A || b == 0x0D || (space && previousSpace) { clean = false; break }
            previousSpace = space
        }
        if clean && !previousSpace || value.isEmpty { return value }
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for b in value.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Canonical header block (`name:value\n` per name, sorted) and the signed-header list.
    /// Values of a repeated name are joined with `,` in the order they came.
    public static func headers(_ headers: [(name: String, value: String)]) -> (block: String, signedHeaders: String) {
        var entries: [(name: String, value: String, order: Int)] = []
        entries.reserveCapacity(headers.count)
        for (i, (name, value)) in headers.enumerated() {
            let lower = asciiLowercased(name)
            if unsignedHeaderNames.contains(lower) { continue }
            entries.append((lower, headerValue(value), i))
        }
        entries.sort { a, b in
            a.name == b.name ? a.order < b.order : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        var block = ""
        var signed = ""
        var previous: String?
        for e in entries {
            if e.name == previous {
                block.removeLast()  // the newline: join repeated names' values with ","
                block += "," + e.value + "\n"
            } else {
                if previous != nil { signed += ";" }
                signed += e.name
                block += e.name + ":" + e.value + "\n"
                previous = e.name
            }
        }
        return (block, signed)
    }

    /// Lower-cases ASCII letters only (header names are ASCII), without Unicode tables.
    static func asciiLowercased(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
