/// Signs requests with AWS Signature Version 4, in headers or in a presigned query string.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: SigningCredentials
    public var region: String
    public var service: String
    public var options: Options
    private let keyCache: SigningKeyCache

    public struct Options: Sendable {
        /// Normalise and (double-)encode the path: true for every service but S3.
        public var normalizeAndEncodePath: Bool
        /// Where the session token goes: signed (the usual) or added after signing.
        public var sessionTokenSigned: Bool
        /// Send `x-amz-content-sha256` (S3 wants it).
        public var addContentSHA256Header: Bool

        public init(normalizeAndEncodePath: Bool = true, sessionTokenSigned: Bool = true, addContentSHA256Header: Bool = false) {
            self.normalizeAndEncodePath = normalizeAndEncodePath
            self.sessionTokenSigned = sessionTokenSigned
            self.addContentSHA256Header = addContentSHA256Header
        }

        /// The defaults for `service`.
        public static func forService(_ service: String) -> Options {
            service == "s3"
                ? Options(normalizeAndEncodePath: false, addContentSHA256Header: true)
                : Options()
        }
    }

    /// Everything signing produced, for sending and for `--dry-run`.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var signedHeaders: String
        public var credentialScope: String
        /// The request's headers after signing, `Authorization` last.
        public var headers: [(name: String, value: String)]
        /// The signed query string (for presigned URLs; otherwise the request's own query).
        public var query: String
        public var authorization: String? {
            headers.last(where: { $0.name == "Authorization" })?.value
        }
    }

    public init(credentials: SigningCredentials, region: String, service: String,
                options: Options? = nil, keyCache: SigningKeyCache = SigningKeyCache()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options ?? .forService(service)
        self.keyCache = keyCache
    }

    /// Signs in the `Authorization` header. `X-Amz-Date` (and the session token, and for S3
    /// `x-amz-content-sha256`) are added or replaced.
    public func sign(_ request: SignableRequest, at date: SigningDate) -> Signature {
        let amzDate = date.amzDate
        var headers = request.headers
        headers.removeAll { CanonicalRequest.asciiLowercased($0.name) == "authorization" }
        setHeader(&headers, "X-Amz-Date", amzDate)
        let payloadHash = request.payloadHash
        if options.addContentSHA256Header { setHeader(&headers, "X-Amz-Content-Sha256", payloadHash) }
        let token = credentials.sessionToken
        if let token, options.sessionTokenSigned { setHeader(&headers, "X-Amz-Security-Token", token) }

        let canonical = CanonicalRequest.headers(headers)
        let scopeDate = String(amzDate.prefix(8))
        let scope = credentialScope(scopeDate)
        let canonicalRequest = makeCanonicalRequest(request, query: request.query, canonical: canonical, payloadHash: payloadHash)
        let stringToSign = makeStringToSign(canonicalRequest, amzDate: amzDate, scope: scope)
        let signature = signatureHex(stringToSign, scopeDate: scopeDate)

        if let token, !options.sessionTokenSigned { setHeader(&headers, "X-Amz-Security-Token", token) }
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        headers.append((name: "Authorization", value: authorization))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         signedHeaders: canonical.signedHeaders, credentialScope: scope, headers: headers, query: request.query)
    }

    /// Presigns in the query string, valid for `expires` seconds (1 to 604800). Only the `host`
    /// header (and any other headers given) are signed.
    public func presign(_ request: SignableRequest, at date: SigningDate, expires: Int) -> Signature {
        let amzDate = date.amzDate
        let scopeDate = String(amzDate.prefix(8))
        let headers = request.headers.filter { CanonicalRequest.asciiLowercased($0.name) != "authorization" }
        let canonical = CanonicalRequest.headers(headers)
        let scope = credentialScope(scopeDate)
        var query = request.query
        func add(_ name: String, _ value: String) {
            query += (query.isEmpty ? "" : "&") + name + "=" + URIEncoding.encode(value)
        }
        add("X-Amz-Algorithm", Self.algorithm)
        add("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope)")
        add("X-Amz-Date", amzDate)
        add("X-Amz-Expires", String(expires))
        add("X-Amz-SignedHeaders", canonical.signedHeaders)
        if let token = credentials.sessionToken, options.sessionTokenSigned { add("X-Amz-Security-Token", token) }

        let canonicalRequest = makeCanonicalRequest(request, query: query, canonical: canonical, payloadHash: request.payloadHash)
        let stringToSign = makeStringToSign(canonicalRequest, amzDate: amzDate, scope: scope)
        let signature = signatureHex(stringToSign, scopeDate: scopeDate)
        if let token = credentials.sessionToken, !options.sessionTokenSigned { add("X-Amz-Security-Token", token) }
        add("X-Amz-Signature", signature)
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         signedHeaders: canonical.signedHeaders, credentialScope: scope, headers: headers, query: query)
    }

    private func credentialScope(_ scopeDate: String) -> String {
        "\(scopeDate)/\(region)/\(service)/aws4_request"
    }

    /// Method, canonical URI, canonical query (of `query`, which presigning extends), headers,
    /// signed-header list and payload hash, one per line.
    private func makeCanonicalRequest(_ request: SignableRequest, query: String,
                                      canonical: (block: String, signedHeaders: String), payloadHash: String) -> String {
        var text = request.method
        text += "\n"
        text += CanonicalRequest.uri(path: request.path, normalizeAndEncode: options.normalizeAndEncodePath)
        text += "\n"
        text += CanonicalRequest.query(query)
        text += "\n"
        text += canonical.block
        text += "\n"
        text += canonical.signedHeaders
        text += "\n"
        text += payloadHash
        return text
    }

    private func makeStringToSign(_ canonicalRequest: String, amzDate: String, scope: String) -> String {
        var text = canonicalRequest
        let hash = text.withUTF8 { Hex.encode(Digest.sha256(UnsafeRawBufferPointer($0))) }
        return "\(Self.algorithm)\n\(amzDate)\n\(scope)\n\(hash)"
    }

    private func signatureHex(_ stringToSign: String, scopeDate: String) -> String {
        let key = keyCache.key(secret: credentials.secretAccessKey, date: scopeDate, region: region, service: service)
        var text = stringToSign
        return text.withUTF8 { Hex.encode(Digest.hmacSHA256(key: key, data: UnsafeRawBufferPointer($0))) }
    }

    /// Sets `name` to `value`: the first header of that name keeps its place, any repeats go.
    private func setHeader(_ headers: inout [(name: String, value: String)], _ name: String, _ value: String) {
        let lower = CanonicalRequest.asciiLowercased(name)
        let matches = headers.indices.filter { CanonicalRequest.asciiLowercased(headers[$0].name) == lower }
        guard let first = matches.first else {
            headers.append((name: name, value: value))
            return
        }
        headers[first].value = value
        for i in matches.dropFirst().reversed() { headers.remove(at: i) }
    }
}
