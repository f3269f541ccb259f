import AWSCore

/// A length of time as people type it: `90d`, `36h`, `15m`, `3600s`, or a bare number in the
/// option's own unit (days for key ages, seconds for session durations: each option's help says
/// which). Overflow and out-of-range values are errors naming the option, never a trap.
public enum DurationText {
    public enum Unit: Int, Sendable {
        case seconds = 1, minutes = 60, hours = 3600, days = 86_400
    }

    public static func seconds(_ text: String, option: String, bareUnit: Unit, within range: ClosedRange<Int>) throws(AWSError) -> Int {
        let lower = text.lowercased()
        let units: [Character: Unit] = ["s": .seconds, "m": .minutes, "h": .hours, "d": .days]
        var digits = Substring(lower)
        var unit = bareUnit
        if let last = digits.last, let u = units[last] { unit = u; digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits) else {
            throw .configuration(ConfigurationError("\(option) '\(PrintableText.escaped(String(text.prefix(24))))' is not a duration such as 90d, 12h, 15m or 3600s"))
        }
        let (value, overflow) = n.multipliedReportingOverflow(by: unit.rawValue)
        guard !overflow, range.contains(value) else {
            throw .configuration(ConfigurationError("\(option) '\(PrintableText.escaped(String(text.prefix(24))))' is out of range: \(describe(range.lowerBound)) to \(describe(range.upperBound))"))
        }
        return value
    }

    /// `7776000` → `90d`, `3600` → `1h`, `90` → `90s`.
    public static func describe(_ seconds: Int) -> String {
        for (unit, suffix) in [(86_400, "d"), (3600, "h"), (60, "m")] where seconds >= unit && seconds % unit == 0 {
            return "\(seconds / unit)\(suffix)"
        }
        return "\(seconds)s"
    }
}
