import CurlLoader
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libcurl easy handle: the only Swift file that calls libcurl. A handle keeps its
/// connections alive between requests; it is used by one thread at a time (the transport's
/// pool hands it out), hence `@unchecked Sendable`.
final class CurlHandle: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer

    /// Loads libcurl and runs `curl_global_init` once per process, before the first handle:
    /// nil when a handle can be made, else why libcurl is unusable.
    static let unavailableReason: String? = {
        guard credctl_curl_load() == 0 else { return String(cString: credctl_curl_load_error()) }
        _ = credctl_curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return nil
    }()

    init?() {
        guard Self.unavailableReason == nil, let easy = credctl_curl_easy_init() else { return nil }
        self.easy = easy
    }

    deinit { credctl_curl_easy_cleanup(easy) }

    /// Collects what libcurl delivers; passed to the callbacks through `Unmanaged`.
    private final class Accumulator {
        var body: [UInt8] = []
        /// Each header line as delivered, line end included, as bytes (a String would make
        /// "\r\n" one Character and hide the line end from byte-wise trimming).
        var headerLines: [[UInt8]] = []
        /// Monotonic time by which the next byte must arrive; set once connected.
        var deadline = Double.infinity
        /// Monotonic time by which the whole exchange must be over, however the bytes trickle.
        var totalDeadline = Double.infinity
        let readTimeout: Double
        let easy: UnsafeMutableRawPointer
        var timedOut = false
        var overTotal = false
        var tooLarge = false
        var maxBody = Int.max

        init(easy: UnsafeMutableRawPointer, readTimeout: Double) {
            self.easy = easy
            self.readTimeout = readTimeout
        }

        /// Starts the read clock when the connection is up (curl's connect timeout covers the rest).
        /// A reused keep-alive connection has no connect time, so the start of the transfer
        /// (pre-transfer time) counts as well.
        func checkConnected() {
            guard deadline == .infinity else { return }
            var connectTime: curl_off_t = 0
            var pretransferTime: curl_off_t = 0
            _ = credctl_curl_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectTime)
            _ = credctl_curl_getinfo_off_t(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransferTime)
            if connectTime > 0 || pretransferTime > 0 { received() }
        }

        func received() { deadline = MonotonicClock.now() + readTimeout }
    }

    func perform(_ request: HTTPRequest, options: TransportOptions) throws(TransportError) -> HTTPResponse {
        credctl_curl_easy_reset(easy)  // keeps the connection cache
        let accumulator = Accumulator(easy: easy, readTimeout: options.readTimeout)
        accumulator.totalDeadline = MonotonicClock.now() + options.totalTimeout
        accumulator.maxBody = options.maxResponseBytes
        let context = Unmanaged.passUnretained(accumulator).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { credctl_curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
            headerList = credctl_curl_slist_append(headerList, line)
        }
        // Nothing the caller did not ask for: no 100-continue, no default Accept or Content-Type.
        headerList = credctl_curl_slist_append(headerList, "Expect:")
        if request.header("accept") == nil { headerList = credctl_curl_slist_append(headerList, "Accept:") }
        if request.header("content-type") == nil { headerList = credctl_curl_slist_append(headerList, "Content-Type:") }

        let url = request.url.description
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
            setString(CURLOPT_URL, url)
            setPointer(CURLOPT_ERRORBUFFER, errorBytes.baseAddress)
            setLong(CURLOPT_NOSIGNAL, 1)
            setLong(CURLOPT_FOLLOWLOCATION, 0)
            setLong(CURLOPT_PATH_AS_IS, 1)
            setLong(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
            setLong(CURLOPT_SSL_VERIFYPEER, 1)
            setLong(CURLOPT_SSL_VERIFYHOST, 2)
            if let ca = options.caBundle { setString(CURLOPT_CAINFO, ca) }
            let proxy = request.url.scheme == "https" ? options.httpsProxy : options.httpProxy
            setString(CURLOPT_PROXY, proxy ?? "")
            if let noProxy = options.noProxy { setString(CURLOPT_NOPROXY, noProxy) }
            // A request that must not run twice gets a connection of its own: libcurl re-sends a
            // request whose reused keep-alive connection dies before any answer, and only then.
            if request.safety == .notIdempotent { setLong(CURLOPT_FRESH_CONNECT, 1) }
            setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
            // Read timeout: the progress callback (called about once a second when idle, on every
            // chunk otherwise) aborts when no byte has arrived for that long, and when the whole
            // exchange has passed its total deadline (an answer trickling a byte a second).
            setLong(CURLOPT_NOPROGRESS, 0)
            _ = credctl_curl_setopt_xferinfo_callback(easy, CURLOPT_XFERINFOFUNCTION, { context, _, _, _, _ in
                guard let context else { return 0 }
                let acc = Unmanaged<Accumulator>.fromOpaque(context).takeUnretainedValue()
                acc.checkConnected()
                let now = MonotonicClock.now()
                if now > acc.totalDeadline { acc.overTotal = true; return 1 }
                if now > acc.deadline { acc.timedOut = true; return 1 }
                return 0
            })
            setPointer(CURLOPT_XFERINFODATA, context)
            // libcurl's own limit as a backstop, a little later (the callback may wait a second
            // for its turn on an idle connection).
            setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(options.totalTimeout + 0.5))

            let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method)
            if request.method == "HEAD" {
                setLong(CURLOPT_NOBODY, 1)
            } else if !sendsBody {
                setLong(CURLOPT_HTTPGET, 1)
                if request.method != "GET" { setString(CURLOPT_CUSTOMREQUEST, request.method) }
            } else {
                setLong(CURLOPT_POST, 1)
                setLong(CURLOPT_POSTFIELDSIZE, request.body.count)
                if !request.body.isEmpty {
                    request.body.withUnsafeBytes { body in
                        _ = credctl_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress))
                    }
                } else {
                    setString(CURLOPT_COPYPOSTFIELDS, "")
                }
                if request.method != "POST" { setString(CURLOPT_CUSTOMREQUEST, request.method) }
            }
            _ = credctl_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
            _ = credctl_curl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                let n = size * count
                guard let data, let context else { return n }
                let acc = Unmanaged<Accumulator>.fromOpaque(context).takeUnretainedValue()
                acc.received()
                // Returning less than n makes libcurl stop the transfer.
                guard acc.body.count + n <= acc.maxBody else { acc.tooLarge = true; return 0 }
                data.withMemoryRebound(to: UInt8.self, capacity: n) { acc.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
                return n
            })
            setPointer(CURLOPT_WRITEDATA, context)
            _ = credctl_curl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                let n = size * count
                guard let data, let context else { return n }
                let acc = Unmanaged<Accumulator>.fromOpaque(context).takeUnretainedValue()
                acc.received()
                let line = data.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
                acc.headerLines.append(line)
                return n
            })
            setPointer(CURLOPT_HEADERDATA, context)
            return credctl_curl_easy_perform(easy)
        }

        guard code == CURLE_OK else {
            var connectMicroseconds: curl_off_t = 0
            _ = credctl_curl_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectMicroseconds)
            if accumulator.tooLarge {
                throw TransportError(kind: .responseTooLarge, host: request.url.hostHeader,
                                     detail: "the response body is over \(options.maxResponseBytes >> 20) MB; no AWS API answer is that large")
            }
            if accumulator.overTotal || code == CURLE_OPERATION_TIMEDOUT && MonotonicClock.now() >= accumulator.totalDeadline - 0.25 {
                throw TransportError(kind: .timeout, host: request.url.hostHeader,
                                     detail: "not over after \(options.totalTimeout) s (total deadline)", connected: connectMicroseconds > 0)
            }
            if accumulator.timedOut {
                throw TransportError(kind: .timeout, host: request.url.hostHeader,
                                     detail: "no data for \(options.readTimeout) s (read timeout)")
            }
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TransportError(kind: Self.kind(of: code), host: request.url.hostHeader,
                                 detail: detail.isEmpty ? String(cString: credctl_curl_easy_strerror(code)) : detail,
                                 connected: connectMicroseconds > 0)
        }
        var status = 0
        _ = credctl_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: Self.finalHeaderBlock(accumulator.headerLines), body: accumulator.body)
    }

    /// The headers of the last response (after any `100 Continue` or proxy `CONNECT` answers),
    /// each name and value exactly as sent, only the line end and the spaces around the value removed.
    static func finalHeaderBlock(_ lines: [[UInt8]]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for raw in lines {
            var line = raw[...]
            if line.last == 0x0A { line = line.dropLast() }
            if line.last == 0x0D { line = line.dropLast() }
            if line.starts(with: Array("HTTP/".utf8)) { headers.removeAll(); continue }
            if line.isEmpty { continue }
            let text = String(decoding: line, as: UTF8.self)
            if line.first == 0x20 || line.first == 0x09, !headers.isEmpty {
                headers[headers.count - 1].value += " " + text.trimmingSpaces()
            } else if let colon = text.firstIndex(of: ":") {
                headers.append((String(text[..<colon]), String(text[text.index(after: colon)...]).trimmingSpaces()))
            }
        }
        return headers
    }

    /// Seconds as libcurl's milliseconds, clamped so that no value can overflow.
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return seconds > 0 ? Int(Int32.max) : 1 }
        return Int(min(seconds * 1000, Double(Int32.max)).rounded(.up))
    }

    private static func kind(of code: CURLcode) -> TransportError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: return .dnsFailure
        case CURLE_COULDNT_RESOLVE_PROXY: return .proxyFailure
        case CURLE_COULDNT_CONNECT: return .connectionFailed
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND:
            return .tlsFailure
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR: return .connectionReset
        case CURLE_PARTIAL_FILE: return .truncated
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidRequest
        default: return .other
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        _ = credctl_curl_setopt_long(easy, option, value)
    }

    private func setString(_ option: CURLoption, _ value: String) {
        _ = credctl_curl_setopt_string(easy, option, value)  // libcurl copies strings
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) {
        _ = credctl_curl_setopt_pointer(easy, option, value)
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeMutablePointer<CChar>?) {
        _ = credctl_curl_setopt_pointer(easy, option, UnsafeMutableRawPointer(value))
    }
}


