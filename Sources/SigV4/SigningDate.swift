#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signing time in whole seconds since 1970, with the two string forms SigV4 uses.
public struct SigningDate: Sendable, Equatable {
    public let secondsSince1970: Int

    public init(secondsSince1970: Int) { self.secondsSince1970 = secondsSince1970 }

    /// The current time, moved by `offset` seconds (the clock-skew correction).
    public static func now(offset: Int = 0) -> SigningDate {
        SigningDate(secondsSince1970: Int(time(nil)) + offset)
    }

    /// Parses `YYYYMMDDTHHMMSSZ`, the `X-Amz-Date` form.
    public init?(amzDate: String) {
        let b = Array(amzDate.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(4..<6), let d = number(6..<8),
              let h = number(9..<11), let mi = number(11..<13), let s = number(13..<15),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        self.init(secondsSince1970: CivilTime.epochSeconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    /// `YYYYMMDDTHHMMSSZ`
    public var amzDate: String {
        let t = CivilTime(epochSeconds: secondsSince1970)
        var b = [UInt8]()
        b.reserveCapacity(16)
        func put(_ v: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 { b.append(UInt8(48 + (v / divisor) % 10)); divisor /= 10 }
        }
        put(t.year, 4); put(t.month, 2); put(t.day, 2)
        b.append(UInt8(ascii: "T"))
        put(t.hour, 2); put(t.minute, 2); put(t.second, 2)
        b.append(UInt8(ascii: "Z"))
        return String(decoding: b, as: UTF8.self)
    }

    /// `YYYYMMDD`, the date of the credential scope.
    public var scopeDate: String { String(amzDate.prefix(8)) }
}

/// Proleptic Gregorian calendar arithmetic in UTC, without locale or time-zone machinery.
public struct CivilTime: Sendable, Equatable {
    public var year, month, day, hour, minute, second: Int

    public init(epochSeconds: Int) {
        let days = Int((Double(epochSeconds) / 86_400).rounded(.down))
        let secondsOfDay = epochSeconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secondsOfDay / 3600
        minute = (secondsOfDay % 3600) / 60
        second = secondsOfDay % 60
    }

    public static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }
}
