import Synchronization
import Testing
@testable import AWSConfig
import AWSCore

/// Answers each request from a closure and records what was asked.
final class MetadataScript: HTTPTransport, Sendable {
    let answer: @Sendable (HTTPRequest) throws(TransportError) -> HTTPResponse
    let asked = Mutex<[String]>([])

    init(_ answer: @escaping @Sendable (HTTPRequest) throws(TransportError) -> HTTPResponse) { self.answer = answer }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let token = request.header("x-aws-ec2-metadata-token").map { " [\($0)]" } ?? ""
        asked.withLock { $0.append("\(request.method) \(request.url.path)\(token)") }
        return try answer(request)
    }
}

struct InstanceMetadataRegionTests {
    static let local = InstanceMetadataSettings(endpoint: "http://127.0.0.1:1")

    func lookUp(_ script: MetadataScript) throws -> InstanceMetadataRegion.Outcome { try lookUp(Self.local, script) }

    func lookUp(_ settings: InstanceMetadataSettings, _ script: MetadataScript) throws -> InstanceMetadataRegion.Outcome {
        try InstanceMetadataRegion(settings: settings, transport: { _ in script }).lookUp()
    }

    static func ec2(region: String? = "eu-north-1", zone: String = "eu-north-1c") -> MetadataScript {
        MetadataScript { r in
            switch r.url.path {
            case "/latest/api/token": return HTTPResponse(status: 200, body: Array("t0k".utf8))
            case "/latest/meta-data/placement/region": return region.map { HTTPResponse(status: 200, body: Array("\($0)\n".utf8)) } ?? HTTPResponse(status: 404)
            case "/latest/meta-data/placement/availability-zone": return HTTPResponse(status: 200, body: Array(zone.utf8))
            default: return HTTPResponse(status: 404)
            }
        }
    }

    @Test func regionFromPlacementRegionWithTheToken() throws {
        let script = Self.ec2()
        #expect(try lookUp(script) == .found(ResolvedRegion(name: "eu-north-1", source: "instance metadata")))
        #expect(script.asked.withLock { $0 } == ["PUT /latest/api/token", "GET /latest/meta-data/placement/region [t0k]"])
    }

    @Test func zoneOnlyWhenRegionIsNotServed() throws {
        let script = Self.ec2(region: nil, zone: "ap-northeast-3a")
        #expect(try lookUp(script) == .found(ResolvedRegion(name: "ap-northeast-3", source: "instance metadata")))
        #expect(script.asked.withLock { $0 }.last == "GET /latest/meta-data/placement/availability-zone [t0k]")
    }

    @Test func zoneShapes() {
        #expect(InstanceMetadataRegion.region(ofZone: "us-east-1a") == "us-east-1")
        #expect(InstanceMetadataRegion.region(ofZone: "us-gov-west-1b") == "us-gov-west-1")
        #expect(InstanceMetadataRegion.region(ofZone: "cn-northwest-1c") == "cn-northwest-1")
        #expect(InstanceMetadataRegion.region(ofZone: "us-west-2-lax-1a") == nil)
        #expect(InstanceMetadataRegion.region(ofZone: "us-east-1-wl1-bos-wlz-1") == nil)
        #expect(InstanceMetadataRegion.region(ofZone: "nova") == nil)
        #expect(InstanceMetadataRegion.region(ofZone: "us-east-1") == nil)
        #expect(InstanceMetadataRegion.region(ofZone: "US-EAST-1A") == nil)
        #expect(InstanceMetadataRegion.region(ofZone: "") == nil)
    }

    @Test func disabledAsksNothing() throws {
        let script = Self.ec2()
        #expect(try lookUp(InstanceMetadataSettings(disabled: true), script) == .none("AWS_EC2_METADATA_DISABLED=true"))
        #expect(script.asked.withLock { $0 }.isEmpty)
    }

    @Test func imdsV1AfterARefusedTokenUnlessDisabled() throws {
        let refusing = MetadataScript { r in
            r.method == "PUT" ? HTTPResponse(status: 403) : HTTPResponse(status: 200, body: Array("sa-east-1".utf8))
        }
        #expect(try lookUp(refusing) == .found(ResolvedRegion(name: "sa-east-1", source: "instance metadata")))
        #expect(refusing.asked.withLock { $0 }.last == "GET /latest/meta-data/placement/region")
        let v1Off = InstanceMetadataSettings(endpoint: "http://127.0.0.1:1", v1Disabled: true)
        #expect(try lookUp(v1Off, refusing) == .none("instance metadata at 127.0.0.1:1: no IMDSv2 token (token refused (HTTP 403)) and IMDSv1 is disabled"))
    }

    @Test func unreachableGivesUpAtOnce() throws {
        let script = MetadataScript { r throws(TransportError) in
            throw TransportError(kind: .connectionFailed, host: r.url.hostHeader, detail: "refused", connected: false)
        }
        let settings = InstanceMetadataSettings(endpoint: "http://127.0.0.1:1", attempts: 5)
        #expect(try lookUp(settings, script) == .none("no instance metadata at 127.0.0.1:1: could not connect (not on EC2?)"))
        #expect(script.asked.withLock { $0 }.count == 1)
    }

    @Test func notARegionIsNoRegion() throws {
        let script = MetadataScript { r in
            r.method == "PUT" ? HTTPResponse(status: 200, body: Array("t".utf8)) : HTTPResponse(status: 200, body: Array("Not A Region".utf8))
        }
        #expect(try lookUp(script) == .none("instance metadata at 127.0.0.1:1: /latest/meta-data/placement/region is 'Not A Region', which is not a region name"))
    }

    @Test func endpointModeIsCheckedEvenWithAnEndpoint() {
        #expect(throws: ConfigurationError.self) {
            try lookUp(InstanceMetadataSettings(endpoint: "http://127.0.0.1:1", endpointMode: "ipv5"), Self.ec2())
        }
    }

    @Test func defaultEndpoints() throws {
        #expect(try InstanceMetadataSettings(endpointMode: "ipv6").baseURL().description == "http://[fd00:ec2::254]/")
        #expect(try InstanceMetadataSettings().baseURL().description == "http://169.254.169.254/")
    }

    @Test func configuredSourcesAndTheEmptyVariable() throws {
        let empty = try RegionResolver.configured(flag: nil, environment: Environment(["AWS_DEFAULT_REGION": ""]), profile: nil)
        #expect(empty == ConfiguredRegion(emptiedBy: "AWS_DEFAULT_REGION"))
        #expect(!empty.mayAskInstanceMetadata)
        #expect(try RegionResolver.configured(flag: nil, environment: Environment(), profile: nil).mayAskInstanceMetadata)
        #expect(try !RegionResolver.configured(flag: "eu-west-1", environment: Environment(), profile: nil).mayAskInstanceMetadata)
    }
}
