/// What may go into a request header. A CR or LF in a value would end the header and start
/// another (header injection); NUL and the other control characters are refused as botocore's
/// HTTP stack refuses them. Checked for every request before a byte is sent, whatever the value
/// came from (credentials, tokens, `-H`); messages name the header, never its value.
public enum HeaderRules {
    /// Why `name: value` cannot be sent, or nil when it can.
    public static func problem(name: String, value: String) -> String? {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenCharacter) else {
            return "the header name '\(PrintableText.escaped(String(name.prefix(40))))' is not a valid HTTP token"
        }
        if value.utf8.contains(where: isForbiddenInValue) {
            return "the value of header \(name) contains a control character (CR, LF, NUL, …)"
        }
        return nil
    }

    /// Throws, before anything is sent, when any header of `request` cannot be sent.
    public static func check(_ request: HTTPRequest) throws(TransportError) {
        for (name, value) in request.headers {
            if let problem = problem(name: name, value: value) {
                throw TransportError(kind: .invalidRequest, host: request.url.hostHeader,
                                     detail: "\(problem); nothing was sent", connected: false)
            }
        }
    }

    /// Control characters other than horizontal tab.
    public static func isForbiddenInValue(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7F }

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }
}
