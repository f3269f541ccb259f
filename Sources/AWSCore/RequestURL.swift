/// A URL kept exactly as typed: the path and query are not re-encoded, so what is signed is
/// what is sent (`curl` takes URLs the same way).
public struct RequestURL: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    /// Host name, or an IP address (an IPv6 address without its brackets).
    public var host: String
    public var port: Int?
    /// The path as it goes on the wire; `/` when the URL has none.
    public var path: String
    /// The raw query string without `?` (empty when there is none).
    public var query: String

    public init(scheme: String, host: String, port: Int? = nil, path: String = "/", query: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingScheme(String)
        case unsupportedScheme(String)
        case missingHost(String)
        case badPort(String)
        case forbiddenCharacter(String)

        public var description: String {
            switch self {
            case .missingScheme(let u): return "'\(u)' is not a URL: it needs a scheme, as in https://host/path"
            case .unsupportedScheme(let s): return "unsupported URL scheme '\(s)': use http or https"
            case .missingHost(let u): return "'\(u)' has no host"
            case .badPort(let u): return "'\(u)' has an invalid port"
            case .forbiddenCharacter(let u): return "'\(u)' contains a space or control character: percent-encode it"
            }
        }
    }

    /// Parses `scheme://host[:port][/path][?query][#fragment]`. The fragment is dropped.
    public init(parsing text: String) throws(ParseError) {
        if text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { throw .forbiddenCharacter(text) }
        guard let schemeEnd = text.firstRange(of: "://") else { throw .missingScheme(text) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(scheme) }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .missingHost(text) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let tail = authority[authority.index(after: close)...]
            if tail.hasPrefix(":") { portText = tail.dropFirst() } else if !tail.isEmpty { throw .badPort(text) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .missingHost(text) }
        var port: Int?
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw .badPort(text) }
            port = p
        }
        var path = afterAuthority
        var query: Substring = ""
        if let q = afterAuthority.firstIndex(of: "?") {
            path = afterAuthority[..<q]
            query = afterAuthority[afterAuthority.index(after: q)...]
        }
        self.init(scheme: scheme, host: String(host).lowercased(), port: port,
                  path: path.isEmpty ? "/" : String(path), query: String(query))
    }

    public var defaultPort: Int { scheme == "https" ? 443 : 80 }

    /// The `Host` header: the port only when it is not the scheme's default.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        if let port, port != defaultPort { return "\(h):\(port)" }
        return h
    }

    public var description: String {
        "\(scheme)://\(hostHeader)\(path)\(query.isEmpty ? "" : "?" + query)"
    }

    /// The same URL with another path and query.
    public func with(path: String, query: String = "") -> RequestURL {
        var copy = self
        copy.path = path.isEmpty ? "/" : path
        copy.query = query
        return copy
    }
}
