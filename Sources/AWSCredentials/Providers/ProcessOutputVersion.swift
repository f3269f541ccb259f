import AWSCore

/// The `Version` of a `credential_process` output, checked as botocore checks it
/// (`ProcessProvider._retrieve_credentials_using`): Python's `parsed.get('Version') != 1`, so
/// `1`, `1.0`, `1e0` and `true` pass (Python's `True == 1`), and anything else is refused
/// with botocore's words, `Unsupported version '…' for credential process provider,
/// supported versions: 1`. Never a conversion that could trap: the number is compared as a
/// `Double`.
enum ProcessOutputVersion {
    /// nil when the version is supported, else botocore's message.
    static func problem(_ json: JSONValue) -> String? {
        let value = json["Version"]
        switch value {
        case .bool(true)?: return nil
        case .number(let text)? where Double(text) == 1: return nil
        default: return "Unsupported version '\(shown(value))' for credential process provider, supported versions: 1"
        }
    }

    /// The value much as Python's `str()` shows it (a number as the process wrote it), escaped
    /// and cut to 24 characters: it may be anything the process printed.
    static func shown(_ value: JSONValue?) -> String {
        let text: String
        switch value {
        case nil: return "<Version key not provided>"
        case .null?: text = "None"
        case .bool(let b)?: text = b ? "True" : "False"
        case .number(let n)?: text = n
        case .string(let s)?: text = s
        case .array?: text = "a list"
        case .object?: text = "an object"
        }
        let cut = text.count > 24 ? String(text.prefix(24)) + "…" : text
        return PrintableText.escaped(cut)
    }
}
