import SigV4

/// RFC 3339 / ISO 8601 timestamps as the AWS APIs and credential sources write them.
public enum Timestamp {
    /// Seconds since 1970 of the years 0 to 9999 (a day either side, for zone offsets): every
    /// time `parse` can give, and what a time read as a number must lie in. A number outside it
    /// (`1e300` seconds) is refused where it is read, so that no later arithmetic can overflow.
    public static let representable: ClosedRange<Int> = -62_167_305_600...253_402_387_200

    /// Seconds since 1970 from a number of seconds (or, with `scale` 1000, milliseconds) that may
    /// carry a fraction; nil for what is not finite or names no representable time.
    public static func seconds(fromNumber value: Double, scale: Double = 1) -> Int? {
        let seconds = (value / scale).rounded(.down)
        guard seconds.isFinite, let whole = Int(exactly: seconds), representable.contains(whole) else { return nil }
        return whole
    }

    /// Seconds since 1970 for `2026-11-23T04:05:06Z`, `2026-11-23T04:05:06.123Z` or
    /// `2026-11-23T04:05:06+01:00`; nil for anything else.
    public static func parse(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }; v = v * 10 + Int(b[i] - 48) }
            return v
        }
        guard let y = num(0..<4), b[4] == 0x2D, let mo = num(5..<7), b[7] == 0x2D, let d = num(8..<10),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
              let h = num(11..<13), b[13] == 0x3A, let mi = num(14..<16), b[16] == 0x3A, let s = num(17..<19),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2E {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        var offset = 0
        if i == b.count {
            offset = 0  // no zone: UTC, as botocore assumes
        } else if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard i + 6 == b.count, let oh = num((i + 1)..<(i + 3)), b[i + 3] == 0x3A, let om = num((i + 4)..<(i + 6)) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2B ? 1 : -1)
        } else {
            return nil
        }
        return CivilTime.epochSeconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s) - offset
    }

    /// `2026-11-23T04:05:06Z`
    public static func format(_ seconds: Int) -> String {
        let t = CivilTime(epochSeconds: seconds)
        func p(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(t.year, 4))-\(p(t.month, 2))-\(p(t.day, 2))T\(p(t.hour, 2)):\(p(t.minute, 2)):\(p(t.second, 2))Z"
    }
}
