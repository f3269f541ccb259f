/// The part of an HTTP/1.1 request the credentials server reads: the request line and the
/// headers, from bytes a client sent, with hard limits (a client is never trusted).
struct HTTPRequestHead: Equatable {
    var method: String
    var target: String
    /// Lower-cased names; a repeated header keeps its first value.
    var headers: [String: String]

    /// Requests larger than this are refused before they are read further.
    static let maximumSize = 8192

    enum Parse: Equatable {
        case complete(HTTPRequestHead)
        /// No blank line yet: read more.
        case incomplete
        case malformed(String)
        case tooLarge
    }

    /// Parses `bytes` once they hold a whole head (up to the blank line); any body is ignored.
    static func parse(_ bytes: [UInt8]) -> Parse {
        guard let end = headEnd(bytes) else { return bytes.count > maximumSize ? .tooLarge : .incomplete }
        if end > maximumSize { return .tooLarge }
        guard let text = String(validating: bytes[..<end], as: UTF8.self) else { return .malformed("the request is not UTF-8") }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first else { return .malformed("empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0", !parts[0].isEmpty,
              parts[0].allSatisfy({ $0.isLetter && $0.isUppercase }), parts[1].first == "/" else {
            return .malformed("not an HTTP/1.1 request line")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else { return .malformed("a header line without a name") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if headers[name] == nil { headers[name] = value }
        }
        return .complete(HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), headers: headers))
    }

    /// The offset just past `\r\n\r\n`, nil when there is none yet.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A {
            return i + 4
        }
        return nil
    }
}

/// One complete HTTP/1.1 answer; the server closes the connection after each.
struct HTTPResponse: Equatable {
    var status: Int
    var body: String

    static func json(_ status: Int, _ body: String) -> HTTPResponse { HTTPResponse(status: status, body: body) }

    /// An error answer in the shape the container endpoints use: `{"Code": …, "Message": …}`.
    static func error(_ status: Int, code: String, message: String) -> HTTPResponse {
        HTTPResponse(status: status, body: "{\"Code\":\"\(code)\",\"Message\":\"\(message)\"}")
    }

    var reason: String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 431: return "Request Header Fields Too Large"
        case 503: return "Service Unavailable"
        default: return "Error"
        }
    }

    var bytes: [UInt8] {
        let body = Array(self.body.utf8)
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        head += "Cache-Control: no-store\r\nConnection: close\r\n"
        if status == 405 { head += "Allow: GET\r\n" }
        return Array((head + "\r\n").utf8) + body
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
