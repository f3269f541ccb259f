import AWSCore

/// The region of the EC2 instance credctl runs on, from instance metadata: the AWS CLI v2's last
/// region source (`IMDSRegionProvider` in its region chain, after `--region`, the variables and
/// the profile). Asked only when none of those is set and a command needs a region.
///
/// Like the AWS CLI: an IMDSv2 session token first (`PUT /latest/api/token`), IMDSv1 when the
/// token is refused (403/404/405) or its answer times out, unless IMDSv1 is disabled; the same
/// endpoint, timeout and number of attempts as the instance-metadata credential provider. Unlike
/// it: the region is read from `placement/region` (the AWS CLI drops the last character of
/// `placement/availability-zone`, which names no region in a Local or Wavelength Zone); the
/// zone is read, as the AWS CLI reads it, only when `placement/region` is not served (404), and
/// used only when it has the shape of an AWS zone. Any failure means no region from here, with
/// the reason, never an error: only a broken setting is (exit 2).
public struct InstanceMetadataRegion: Sendable {
    public enum Outcome: Sendable, Equatable {
        case found(ResolvedRegion)
        /// No region from instance metadata, and why.
        case none(String)
    }

    public static let source = "instance metadata"
    public static let disabledReason = "AWS_EC2_METADATA_DISABLED=true"
    static let tokenPath = "/latest/api/token"
    static let regionPath = "/latest/meta-data/placement/region"
    static let zonePath = "/latest/meta-data/placement/availability-zone"

    let settings: InstanceMetadataSettings
    let makeTransport: @Sendable (TransportOptions) -> any HTTPTransport
    let log: DebugLog

    public init(settings: InstanceMetadataSettings, log: DebugLog = .off,
                transport: @escaping @Sendable (TransportOptions) -> any HTTPTransport = { CurlTransport(options: $0) }) {
        self.settings = settings
        self.log = log
        makeTransport = transport
    }

    public func lookUp() throws(ConfigurationError) -> Outcome {
        if settings.disabled { return .none(Self.disabledReason) }
        let base = try settings.baseURL()
        let timeout = settings.timeout
        let transport = makeTransport(TransportOptions(connectTimeout: timeout, readTimeout: timeout, totalTimeout: timeout,
                                                       maxResponseBytes: 64 << 10))
        let session = MetadataExchange(transport: transport, base: base, attempts: settings.attempts)
        let where_ = "instance metadata at \(base.hostHeader)"

        let token: String?
        switch session.token() {
        case .token(let t): token = t
        case .none(let why):
            if settings.v1Disabled { return .none("\(where_): no IMDSv2 token (\(why)) and IMDSv1 is disabled") }
            log("region: \(where_): no IMDSv2 token (\(why)); trying IMDSv1")
            token = nil
        case .unreachable(let why): return .none("no \(where_): \(why) (not on EC2?)")
        case .refused(let why): return .none("\(where_): \(why)")
        }

        switch session.get(Self.regionPath, token: token) {
        case .body(let text):
            guard EndpointResolver.isValidRegion(text) else {
                return .none("\(where_): \(Self.regionPath) is '\(Self.quoted(text))', which is not a region name")
            }
            return .found(ResolvedRegion(name: text, source: Self.source))
        case .failed(let why): return .none("\(where_): \(Self.regionPath): \(why)")
        case .notFound: break
        }
        // An older or emulated metadata service without placement/region: the zone, as the AWS CLI reads it.
        switch session.get(Self.zonePath, token: token) {
        case .body(let zone):
            guard let region = Self.region(ofZone: zone) else {
                return .none("\(where_): availability zone '\(Self.quoted(zone))' is not an AWS zone name (REGION plus a letter)")
            }
            return .found(ResolvedRegion(name: region, source: Self.source))
        case .failed(let why): return .none("\(where_): \(Self.zonePath): \(why)")
        case .notFound: return .none("\(where_): neither placement/region nor placement/availability-zone is served (HTTP 404)")
        }
    }

    /// `us-east-1a` → `us-east-1`: letters-and-hyphens groups, a number, one letter. A Local
    /// Zone (`us-west-2-lax-1a`), a Wavelength Zone or another cloud's zone (`nova`) is no region.
    static func region(ofZone zone: String) -> String? {
        let parts = zone.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, let first = parts.first else { return nil }
        func letters(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
        func digits(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard first.utf8.count == 2, letters(first), parts.dropFirst().dropLast().allSatisfy(letters),
              last.utf8.count >= 2, letters(last.suffix(1)), digits(last.dropLast()) else { return nil }
        return String(zone.dropLast())
    }

    static func quoted(_ text: String) -> String { PrintableText.escaped(FileExcerpt.of(text)) }
}

/// The HTTP side of one lookup: the token, then GETs with it, each tried up to `attempts` times.
struct MetadataExchange {
    enum TokenResult { case token(String), none(String), unreachable(String), refused(String) }
    enum GetResult { case body(String), notFound, failed(String) }

    let transport: any HTTPTransport
    let base: RequestURL
    let attempts: Int

    func send(_ method: String, _ path: String, headers: [(name: String, value: String)]) throws(TransportError) -> HTTPResponse {
        let url = base.with(path: path)
        let all = [(name: "Host", value: url.hostHeader)] + headers + [(name: "User-Agent", value: "credctl/metadata")]
        return try transport.send(HTTPRequest(method: method, url: url, headers: all, safety: .idempotent))
    }

    /// As botocore: 200 is the token; 403, 404, 405 or a read timeout mean IMDSv1; 400 is refused;
    /// anything else is tried again.
    func token() -> TokenResult {
        var problem = "no answer"
        for _ in 1...attempts {
            do {
                let response = try send("PUT", InstanceMetadataRegion.tokenPath, headers: [("x-aws-ec2-metadata-token-ttl-seconds", "21600")])
                switch response.status {
                case 200:
                    // It goes into a header of the next request: a CR or LF would split it.
                    if response.body.contains(where: HeaderRules.isForbiddenInValue) {
                        return .refused("the IMDSv2 session token it answered contains a control character (CR, LF, NUL, …)")
                    }
                    return .token(response.bodyText)
                case 403, 404, 405: return .none("token refused (HTTP \(response.status))")
                case 400: return .refused("the token request was rejected (HTTP 400)")
                default: problem = "HTTP \(response.status)"
                }
            } catch {
                if !error.connected { return .unreachable(error.kind.rawValue) }
                if error.isTimeout { return .none(error.description) }
                problem = error.description
            }
        }
        return .none(problem)
    }

    /// A non-empty 200 answer, trimmed; a 404 (for the fallback); else tried again, as botocore does.
    func get(_ path: String, token: String?) -> GetResult {
        let headers: [(name: String, value: String)] = token.map { [("x-aws-ec2-metadata-token", $0)] } ?? []
        var problem = "no answer"
        for _ in 1...attempts {
            do {
                let response = try send("GET", path, headers: headers)
                let text = Self.trimmed(response.bodyText)
                if response.status == 200, !text.isEmpty { return .body(text) }
                if response.status == 404 { return .notFound }
                problem = response.status == 200 ? "an empty answer" : "HTTP \(response.status)"
            } catch {
                if !error.connected { return .failed(error.description) }
                problem = error.description
            }
        }
        return .failed(problem)
    }

    /// Without leading and trailing spaces, tabs, CRs and LFs.
    static func trimmed(_ text: String) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        var s = Substring(text)
        while let f = s.first, blank(f) { s.removeFirst() }
        while let l = s.last, blank(l) { s.removeLast() }
        return String(s)
    }
}
