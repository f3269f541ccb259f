@testable import AWSClients
@testable import AWSCredentials
import AWSCore
import SigV4
import Testing
import TransportTesting
@testable import Vault
@testable import Workflows

/// Every reader of numbers from JSON that a file, a process or a server wrote, driven with
/// hostile numbers in each of its numeric fields: out of `Int`'s range, at its edges, huge
/// exponents, `-0`, fractions, numbers written as strings. Nothing may trap (a trap ends this
/// test process); what a reader accepts is a number it can use (a time a timestamp can name, a
/// lifetime or interval in its range), anything else is a typed error or counts as absent.
struct HostileNumberFuzzTests {
    let n = FuzzInput.iterations

    static let hostile: [String] = [
        "1e19", "-1e19", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1e308", "-1e308", "1e999", "-1e999", "1e-400", "-0", "0", "-1", "0.5", "4.9e-324",
        "9.223372036854775807e18", "-9.223372036854776e18", "123456789012345678901234567890", "1E+300", "2.5e18",
        "1e0", "1.0", "1.0000000000000001", "0.1e1", "99999999999999999999e-19",
    ]
    /// What a number's place may hold instead of a number.
    static let impostors: [JSONValue] = [.string("NaN"), .string("Infinity"), .string("-Infinity"), .string("1e19"),
                                         .null, .bool(true), .array([.number("1")]), .object([])]

    /// The places of every number in `value` (paths of member names and indices).
    static func numberPaths(_ value: JSONValue, _ path: [PathStep] = []) -> [[PathStep]] {
        switch value {
        case .number: return [path]
        case .array(let items): return items.enumerated().flatMap { numberPaths($1, path + [.index($0)]) }
        case .object(let members): return members.enumerated().flatMap { numberPaths($1.1, path + [.member($0)]) }
        default: return []
        }
    }

    enum PathStep { case index(Int), member(Int) }

    static func replacing(_ value: JSONValue, at path: ArraySlice<PathStep>, with new: JSONValue) -> JSONValue {
        guard let step = path.first else { return new }
        switch (value, step) {
        case (.array(var items), .index(let i)):
            items[i] = replacing(items[i], at: path.dropFirst(), with: new)
            return .array(items)
        case (.object(var members), .member(let i)):
            members[i].1 = replacing(members[i].1, at: path.dropFirst(), with: new)
            return .object(members)
        default: return value
        }
    }

    /// `seed` with each of its numbers in turn replaced by every hostile number and impostor,
    /// then by random numbers, `reader` run on each.
    func drive(_ seedText: String, seed: UInt64, _ reader: (JSONValue) -> Void) throws {
        let document = try JSONValue.parse(seedText)
        let paths = Self.numberPaths(document)
        #expect(!paths.isEmpty, "the seed has numbers")
        for path in paths {
            for text in Self.hostile { reader(Self.replacing(document, at: path[...], with: .number(text))) }
            for impostor in Self.impostors { reader(Self.replacing(document, at: path[...], with: impostor)) }
        }
        var r = FuzzInput(seed: FuzzInput.seed &+ seed)
        for _ in 0..<n / 10 {
            let sign = r.bool() ? "-" : ""
            let digits = r.string(Array("0123456789"), length: 1...40)
            let fraction = r.bool() ? "." + r.string(Array("0123456789"), length: 1...20) : ""
            let exponent = r.bool() ? "e" + r.pick(["", "+", "-"]) + String(r.int(0...999)) : ""
            let number = sign + (digits.hasPrefix("0") && digits.count > 1 ? String(digits.dropFirst()) : digits) + fraction + exponent
            var value = document
            for _ in 0..<r.int(1...paths.count) { value = Self.replacing(value, at: r.pick(paths)[...], with: .number(number)) }
            reader(value)
        }
    }

    // MARK: The value type itself

    @Test func intValueIsTheNumberOrNil() {
        for text in Self.hostile {
            let value = JSONValue.number(text)
            if let exact = Int(text) { #expect(value.intValue == exact, "\(text)") }
            if let d = Double(text), d.isFinite, d.magnitude < 9.2e18 { #expect(value.intValue == Int(d), "\(text)") }
            if let d = Double(text), !d.isFinite || d.magnitude >= 9.3e18 { #expect(value.intValue == nil, "\(text)") }
            #expect(value.int(in: 0...10).map { (0...10).contains($0) } ?? true, "\(text)")
            #expect(JSONDate.seconds(value).map { Timestamp.representable.contains($0) } ?? true, "\(text)")
        }
    }

    // MARK: Services

    func client(answering body: JSONValue) -> AWSClient {
        let transport = ScriptedTransport([.response(JSONAnswer.ok(body, contentType: "application/json"))])
        return AWSClient(core: ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: 1, backoffScale: 0)),
                         keys: FixedSigningKeys(SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")))
    }

    static func endpoint(_ host: String) -> ResolvedEndpoint {
        ResolvedEndpoint(url: RequestURL(scheme: "https", host: host), signingRegion: "eu-west-1", source: "test")
    }

    @Test func ssoRoleCredentialsExpiration() throws {
        try drive(#"{"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s","sessionToken":"t","expiration":1700000000123}}"#, seed: 90) { body in
            let sso = SSOClient(client: client(answering: body), endpoint: Self.endpoint("portal.sso.eu-west-1.amazonaws.com"))
            if let role = try? sso.getRoleCredentials(accessToken: "a", accountId: "123456789012", roleName: "r") {
                #expect(Timestamp.representable.contains(role.expiration))
                _ = Timestamp.format(role.expiration)
            }
        }
    }

    @Test func ssoOAuthLifetimesAndIntervals() throws {
        let oidcEndpoint = Self.endpoint("oidc.eu-west-1.amazonaws.com")
        try drive(#"{"clientId":"c","clientSecret":"s","clientSecretExpiresAt":1800000000}"#, seed: 91) { body in
            if let registration = try? SSOOIDCClient(client: client(answering: body), endpoint: oidcEndpoint).registerClient(clientName: "credctl", scopes: nil) {
                #expect(Timestamp.representable.contains(registration.expiresAt))
                _ = Timestamp.format(registration.expiresAt)
            }
        }
        let registration = SSOClientRegistration(clientId: "c", clientSecret: "s", expiresAt: 1_800_000_000)
        try drive(#"{"deviceCode":"d","userCode":"u","verificationUri":"https://x","verificationUriComplete":"https://x?u","expiresIn":600,"interval":5}"#, seed: 92) { body in
            if let device = try? SSOOIDCClient(client: client(answering: body), endpoint: oidcEndpoint).startDeviceAuthorization(registration, startURL: "https://s") {
                #expect(SSOOIDCClient.lifetimes.contains(device.expiresIn))
                #expect(device.interval.map { SSOOIDCClient.pollingIntervals.contains($0) } ?? true)
                _ = Timestamp.format(1_800_000_000 + device.expiresIn)
            }
        }
        try drive(#"{"accessToken":"a","expiresIn":28800,"refreshToken":"r","tokenType":"Bearer"}"#, seed: 93) { body in
            if let grant = try? SSOOIDCClient(client: client(answering: body), endpoint: oidcEndpoint).createToken(clientId: "c", clientSecret: "s", grant: .refreshToken("r")) {
                #expect(SSOOIDCClient.lifetimes.contains(grant.expiresIn))
                _ = Timestamp.format(1_800_000_000 + grant.expiresIn)
            }
        }
    }

    @Test func parameterStoreVersionsAndDates() throws {
        let ssmEndpoint = Self.endpoint("ssm.eu-west-1.amazonaws.com")
        let parameter = #"{"Name":"/a","Type":"String","Value":"v","Version":3,"LastModifiedDate":1700000000.5,"DataType":"text"}"#
        try drive(#"{"Parameter":\#(parameter)}"#, seed: 94) { body in
            if let p = try? SSMClient(client: client(answering: body), endpoint: ssmEndpoint).getParameter("/a") {
                #expect(p.lastModified.map { Timestamp.representable.contains($0) } ?? true)
            }
        }
        try drive(#"{"Parameters":[\#(parameter),\#(parameter)]}"#, seed: 95) { body in
            _ = try? SSMClient(client: client(answering: body), endpoint: ssmEndpoint).getParametersByPath("/", recursive: true)
        }
        try drive(#"{"Parameters":[{"Name":"/a","Type":"String","Value":"v","Version":1,"LastModifiedDate":1.7e9,"Labels":[]}]}"#, seed: 96) { body in
            _ = try? SSMClient(client: client(answering: body), endpoint: ssmEndpoint).parameterHistory("/a", decrypt: true)
        }
        try drive(#"{"Version":4,"Tier":"Standard"}"#, seed: 97) { body in
            _ = try? SSMClient(client: client(answering: body), endpoint: ssmEndpoint).putParameter(PutParameterRequest(name: "/a", value: "v", type: .string, overwrite: true))
        }
    }

    @Test func dynamoDBTableCounts() throws {
        try drive(#"{"Table":{"TableName":"t","ItemCount":5,"TableSizeBytes":1024,"CreationDateTime":1.7e9,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1,"NumberOfDecreasesToday":0},"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}}"#, seed: 98) { body in
            if let table = try? DynamoDBClient(client: client(answering: body), endpoint: Self.endpoint("dynamodb.eu-west-1.amazonaws.com")).describeTable("t") {
                _ = DynamoDBReport.table(table)
            }
        }
    }

    // MARK: Files and processes

    @Test func credentialProcessVersion() throws {
        try drive(#"{"Version":1,"AccessKeyId":"AKIA1","SecretAccessKey":"s"}"#, seed: 99) { json in
            let problem = ProcessOutputVersion.problem(json)
            if case .number(let text)? = json["Version"] {
                #expect((problem == nil) == (Double(text) == 1), "\(text)")
            }
            if let problem { #expect(problem.hasPrefix("Unsupported version '") && problem.hasSuffix("' for credential process provider, supported versions: 1")) }
        }
    }

    @Test func rotationJournal() throws {
        let journal = #"{"Version":2,"Account":"123456789012","User":"u","CredentialsFile":"/c","Requested":[],"VerifyCommand":false,"Destinations":[{"Destination":"ssm:/a","State":"writing","ParameterVersionsBefore":[3,4]}],"OldKeyId":"AKIA1","KeysBefore":["AKIA1"],"NewKeyId":null,"KeepOldInactive":false,"Step":"creating","Started":"2026-01-01T00:00:00Z"}"#
        try drive(journal, seed: 100) { json in
            if let read = RotationJournal(json: json) {
                #expect(read.destinations.allSatisfy { $0.parameterVersionsBefore?.allSatisfy { _ in true } ?? true })
            }
        }
    }

    @Test func vaultFile() throws {
        let vault = #"{"format":"credctl-vault","version":1,"cipher":"AES-256-GCM","kdf":{"name":"scrypt","n":1024,"r":8,"p":1,"salt":"BwcHBwcHBwcHBwcHBwcHBw=="},"key_check":"AAAA","entries":[{"profile":"p","masked_access_key_id":"AKIA************MPLE","added":"2026-11-23T22:00:00Z","session_credentials":"session-token","session_duration_seconds":3600,"sealed":"AAAA"}]}"#
        try drive(vault, seed: 101) { json in
            if let document = try? VaultDocument(parsing: Array(json.serialized().utf8), path: "/v") {
                #expect(document.kdf.problem == nil)
            }
        }
    }

    /// The XML services answer no numbers credctl reads, only times (`Expiration`, `CreateDate`,
    /// `LastUsedDate`): each is driven with hostile texts and random digit runs.
    @Test func xmlTimes() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 103)
        var texts = ["99999-01-01T00:00:00Z", "9999-12-31T23:59:60+00:00", "0000-01-01T00:00:00-23:59", "9223372036854775807",
                     "1e19", "-1e19", "2026-11-23T04:05:06.99999999999999999999999Z", "2026-11-23T04:05:06+99:99",
                     "+275760-09-13T00:00:00Z", "NaN", "", "2026-02-31T24:00:00Z"]
        for _ in 0..<n / 10 { texts.append(r.string(Array("0123456789-:TZ+."), length: 15...40)) }
        func client(_ action: String, _ xml: String, namespace: String) -> AWSClient {
            let transport = ScriptedTransport([.response(QueryAnswer.ok(action, xml, namespace: namespace))])
            return AWSClient(core: ClientCore(transport: transport, retryPolicy: RetryPolicy(maxAttempts: 1, backoffScale: 0)),
                             keys: FixedSigningKeys(SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")))
        }
        for text in texts {
            #expect(Timestamp.parse(text).map { Timestamp.representable.contains($0) } ?? true, "\(text)")
            let sts = STSClient(client: client("GetSessionToken", "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>\(text)</Expiration></Credentials>",
                                               namespace: "https://sts.amazonaws.com/doc/2011-06-15/"), endpoint: Self.endpoint("sts.amazonaws.com"))
            if let token = try? sts.getSessionToken() { _ = Timestamp.format(token.expiration) }
            let iam = IAMClient(client: client("ListAccessKeys", "<AccessKeyMetadata><member><UserName>u</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status><CreateDate>\(text)</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>",
                                                namespace: "https://iam.amazonaws.com/doc/2010-05-08/"), endpoint: Self.endpoint("iam.amazonaws.com"))
            if let keys = try? iam.listAccessKeys("u") { for key in keys { _ = key.created.map(Timestamp.format) } }
        }
    }

    @Test func httpDates() {
        var r = FuzzInput(seed: FuzzInput.seed &+ 102)
        let years = ["9223372036854775807", "9223372036854775808", "99999999999999999999", "10000", "0", "1e19", "-1", "292277026596"]
        for year in years { #expect(HTTPDate.parse("Sun, 06 Nov \(year) 08:49:37 GMT").map { Timestamp.representable.contains($0) } ?? true) }
        for _ in 0..<n {
            let year = r.string(Array("0123456789"), length: 1...25)
            #expect(HTTPDate.parse("Sun, 06 Nov \(year) 08:49:37 GMT").map { Timestamp.representable.contains($0) } ?? true, "\(year)")
        }
    }
}
