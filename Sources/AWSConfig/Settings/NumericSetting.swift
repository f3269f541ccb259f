import AWSCore

/// Numbers typed by people (flags, variables, profile keys), read with their bounds: a value
/// that is not a number, is not finite or is out of range is a configuration error naming the
/// setting (exit 2), never a trap or a silent default.
public enum NumericSetting {
    /// A number of seconds such as `1`, `0.5` or `2.25`; no exponent, no `inf`/`nan`, no sign.
    public static func seconds(_ text: String, name: String, within range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        let trimmed = text.trimmingSpaces()
        let allowed = trimmed.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
        guard allowed, !trimmed.isEmpty, trimmed.utf8.count <= 20, let value = Double(trimmed), value.isFinite, range.contains(value) else {
            throw ConfigurationError("\(name) must be a number of seconds from \(format(range.lowerBound)) to \(format(range.upperBound)), not '\(PrintableText.escaped(String(text.prefix(24))))'")
        }
        return value
    }

    /// A whole number such as `3`; no sign, no exponent.
    public static func integer(_ text: String, name: String, within range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 18, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = Int(trimmed), range.contains(value) else {
            throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(PrintableText.escaped(String(text.prefix(24))))'")
        }
        return value
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
