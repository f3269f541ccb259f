import SigV4

/// Reads the HTTP `Date` header (RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`;
/// the obsolete RFC 850 and asctime forms are also read).
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970, or nil when the text is not an HTTP date.
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        // IMF-fixdate: [Sun] [06] [Nov] [1994] [08:49:37] [GMT]; RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        // asctime: [Sun] [Nov] [6] [08:49:37] [1994]
        var day: Int?, month: Int?, year: Int?, clock: String?
        for p in parts.dropFirst() {
            if p.contains(":") { clock = p }
            else if let m = months.firstIndex(of: p.lowercased()) { month = m + 1 }
            else if let n = Int(p) {
                if day == nil, n <= 31, year == nil || p.count <= 2 { day = n } else { year = n }
            }
        }
        guard let d = day, let m = month, var y = year, let c = clock else { return nil }
        if y < 100 { y += y < 70 ? 2000 : 1900 }
        guard y <= 9999 else { return nil }
        let hms = c.split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (1...31).contains(d), hms[0] < 24, hms[1] < 60, hms[2] < 61 else { return nil }
        return CivilTime.epochSeconds(year: y, month: m, day: d, hour: hms[0], minute: hms[1], second: hms[2])
    }
}
