import AWSConfig
import AWSCore

/// Where the AWS console's federation endpoint is, and where the console is, for a region:
/// `signin.aws.amazon.com` (`signin.amazonaws.cn` for `cn-*`, `signin.amazonaws-us-gov.com`
/// for `us-gov-*`), as aws-vault picks them, by the region's partition (botocore's partition
/// data). The other partitions (the European Sovereign Cloud, the ISO partitions) are refused
/// rather than sent to the commercial sign-in: their console hosts are in no data credctl has.
/// `CREDCTL_FEDERATION_ENDPOINT` overrides the endpoint (tests, proxies): https to any host,
/// plain http only to loopback.
public struct FederationEndpoint: Sendable, Equatable {
    public static let variable = SettingNames.federationEndpoint

    public var url: RequestURL
    /// Where the sign-in lands: the console home, in the region when there is one.
    public var destination: String

    public static func resolve(region: String?, environment: Environment) throws(AWSError) -> FederationEndpoint {
        let partition = Partition.of(region: region)
        guard let (signin, console) = domains(partition: partition.id) else {
            throw .configuration(ConfigurationError(
                "credctl does not know the sign-in and console hosts of partition \(partition.id) (region \(region ?? "")); nothing was sent"))
        }
        let destination = region.map { "https://\($0).\(console)/console/home?region=\($0)" } ?? "https://\(console)/"
        guard let override = ConsoleSettings.federationEndpointOverride(environment) else {
            return FederationEndpoint(url: RequestURL(scheme: "https", host: signin, path: "/federation"), destination: destination)
        }
        let url: RequestURL
        do { url = try RequestURL(parsing: override) } catch {
            throw .configuration(ConfigurationError("\(variable): \(error.description)"))
        }
        guard url.query.isEmpty else {
            throw .configuration(ConfigurationError("\(variable) must not carry a query string (credctl adds Action=…)"))
        }
        guard url.scheme == "https" || isLoopback(url.host) else {
            throw .configuration(ConfigurationError(
                "\(variable) is plain http to \(PrintableText.escaped(url.host)): the sign-in token is a secret, so http is allowed only to 127.0.0.1, ::1 or localhost; use https"))
        }
        return FederationEndpoint(url: url, destination: destination)
    }

    /// The sign-in and console domains of a partition, for those credctl knows.
    static func domains(partition: String) -> (signin: String, console: String)? {
        switch partition {
        case "aws": return ("signin.aws.amazon.com", "console.aws.amazon.com")
        case "aws-cn": return ("signin.amazonaws.cn", "console.amazonaws.cn")
        case "aws-us-gov": return ("signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com")
        default: return nil
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { o in
            o.allSatisfy(\.isNumber) && (Int(o).map { (0...255).contains($0) } ?? false)
        }
    }

    /// This endpoint with a query of `parameters`, each name and value percent-encoded.
    public func with(_ parameters: [(String, String)]) -> RequestURL {
        var u = url
        u.query = parameters.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
        return u
    }

    /// RFC 3986 unreserved characters kept, every other byte percent-encoded.
    static func encoded(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(b)
            default:
                out += [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
