import AWSClients
import AWSCore
import AWSCredentials

/// The start URL and region `sso login` signs in with, found as the AWS CLI v2's
/// `resolve_start_url` finds them (`awscli/customizations/sso/resolve.py`):
///
/// - the start URL must be `https`;
/// - a start URL on an AWS-owned host is used as it is, with the configured `sso_region`;
/// - any other (a vanity URL on your own domain) is requested once (`HEAD`, or `GET` when `HEAD`
///   answers 405 or 501) without following redirects; a redirect (301, 302, 303, 307, 308) is
///   followed once. The URL reached, without query, fragment, default port or trailing `/`,
///   must be `https` on an AWS-owned host; its region comes from the host name
///   (`ID.portal.REGION.app.aws`, `ID.REGION.portal.amazonaws.com`, …), else `sso_region`.
///
/// The token is still cached under the configured start URL (or session name); the resolved URL
/// is what the service is told (`issuerUrl`, `startUrl`).
public struct SSOStartURL: Sendable, Equatable {
    public var url: String
    public var region: String

    static let ownedSuffixes = [".app.aws", ".portal.amazonaws.com", ".portal.amazonaws.com.cn", ".app.amazonwebservices.com.cn",
                                ".portal.amazonaws.eu", ".api.amazonwebservices.eu", ".awsapps.com", ".awsapps.cn"]
    static let ownedHosts = ["identitycenter.amazonaws.com", "identitycenter.amazonaws.com.cn", "identitycenter.amazonaws.eu",
                             "identitycenter.us-gov.amazonaws.com"]
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    public static func resolve(_ session: SSOSession, services: SSOServices) throws(AWSError) -> SSOStartURL {
        try resolve(session.startURL, configuredRegion: session.region, transport: services.core.transport, log: services.core.log)
    }

    public static func resolve(_ startURL: String, configuredRegion: String?, transport: any HTTPTransport,
                               log: DebugLog? = nil) throws(AWSError) -> SSOStartURL {
        guard let parsed = try? RequestURL(parsing: startURL), parsed.scheme == "https" else {
            if startURL.lowercased().hasPrefix("https://") { throw failure("Invalid sso_start_url: '\(startURL)'") }
            throw failure("The sso_start_url must use the https scheme.")
        }
        if isOwned(parsed.host) {
            guard let configuredRegion else { throw failure("Missing required configuration: sso_region.") }
            return SSOStartURL(url: startURL, region: configuredRegion)
        }
        log?("sso: the start URL \(startURL) is not on an AWS-owned host; following its redirect")
        let reached = try follow(parsed, transport: transport)
        let resolved = normalized(reached)
        guard isOwned(reached.host) else {
            throw failure("Could not resolve start URL '\(startURL)' to an AWS-owned endpoint. Final URL: '\(resolved)'")
        }
        guard reached.scheme == "https" else { throw failure("Resolved URL must use https. Got: '\(resolved)'") }
        guard let region = region(ofHost: reached.host) ?? configuredRegion else {
            throw failure("Cannot determine region from start URL '\(startURL)'. Please provide sso_region in your configuration.")
        }
        log?("sso: the start URL \(startURL) resolved to \(resolved) in \(region)")
        return SSOStartURL(url: resolved, region: region)
    }

    /// One request (at most one redirect followed): the URL the start URL leads to.
    static func follow(_ start: RequestURL, transport: any HTTPTransport) throws(AWSError) -> RequestURL {
        var response = try send("HEAD", start, transport)
        if response.status == 405 || response.status == 501 { response = try send("GET", start, transport) }
        if (200..<300).contains(response.status) { return start }
        guard redirectStatuses.contains(response.status) else { throw failure("Failed to resolve start URL: HTTP \(response.status)") }
        guard let location = response.header("location"), !location.isEmpty else {
            throw failure("Redirect response missing Location header.")
        }
        guard let next = join(start, location) else { throw failure("Failed to resolve start URL: the redirect to '\(PrintableText.escaped(location))' is not a URL") }
        return next
    }

    static func send(_ method: String, _ url: RequestURL, _ transport: any HTTPTransport) throws(AWSError) -> HTTPResponse {
        do {
            return try transport.send(HTTPRequest(method: method, url: url, safety: .idempotent))
        } catch {
            throw failure("Failed to resolve start URL: \(error)")
        }
    }

    /// `Location` against the URL it came from: absolute, scheme-relative, absolute-path or relative.
    static func join(_ base: RequestURL, _ location: String) -> RequestURL? {
        if location.contains("://") { return try? RequestURL(parsing: location) }
        if location.hasPrefix("//") { return try? RequestURL(parsing: "\(base.scheme):\(location)") }
        var path = location
        var query = ""
        if let q = location.firstIndex(of: "?") {
            path = String(location[..<q])
            query = String(location[location.index(after: q)...])
        }
        if !path.hasPrefix("/") {
            let folder = base.path.lastIndex(of: "/").map { String(base.path[...$0]) } ?? "/"
            path = folder + path
        }
        return base.with(path: path, query: query)
    }

    /// `scheme://host[:port]/path` without a trailing `/`, as the AWS CLI's `_normalize_url`.
    static func normalized(_ url: RequestURL) -> String {
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        return "\(url.scheme)://\(url.hostHeader.lowercased())\(path)"
    }

    public static func isOwned(_ host: String) -> Bool {
        var h = host.lowercased()
        while h.hasSuffix(".") { h.removeLast() }
        if ownedHosts.contains(h) { return true }
        return ownedSuffixes.contains { h == String($0.dropFirst()) || h.hasSuffix($0) }
    }

    /// The region in an IAM Identity Center host name, when it has one.
    public static func region(ofHost host: String) -> String? {
        var h = host.lowercased()
        while h.hasSuffix(".") { h.removeLast() }
        let labels = h.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // (labels after the instance id, index of the region among them)
        let forms: [([String], Int)] = [(["portal", "*", "app", "aws"], 1), (["*", "portal", "amazonaws", "com"], 0),
                                        (["*", "portal", "amazonaws", "com", "cn"], 0),
                                        (["portal", "*", "app", "amazonwebservices", "com", "cn"], 1),
                                        (["*", "portal", "amazonaws", "eu"], 0), (["portal", "*", "api", "amazonwebservices", "eu"], 1)]
        for (form, at) in forms where labels.count == form.count + 1 && !labels[0].isEmpty {
            let rest = Array(labels.dropFirst())
            guard zip(form, rest).allSatisfy({ $0 == "*" || $0 == $1 }) else { continue }
            let region = rest[at]
            if !region.isEmpty, region.allSatisfy({ $0.isLowercase && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" }) { return region }
        }
        return nil
    }

    static func failure(_ message: String) -> AWSError { .configuration(ConfigurationError(message)) }
}
