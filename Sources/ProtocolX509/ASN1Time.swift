import CertificateModel
import SwiftASN1

/// Lenient `Time` decoding (RFC 5280 §4.1.2.5) to Unix seconds, computed
/// arithmetically (no Foundation).
///
/// ```
/// Time ::= CHOICE {
///      utcTime        UTCTime,          -- YYMMDDHHMMSSZ
///      generalTime    GeneralizedTime } -- YYYYMMDDHHMMSSZ
/// ```
///
/// Accepted beyond the strict profile: missing seconds, fractional seconds
/// (ignored), `+hhmm`/`-hhmm` offsets, and a missing `Z` (read as UTC).
/// Second 60 (leap second) is accepted and counted arithmetically.
enum ASN1Time {
    static func unixSeconds(_ node: ASN1Node) -> Int64? {
        guard let bytes = DERNode.primitive(node) else { return nil }
        if node.identifier == .utcTime {
            return parse(Array(bytes), yearDigits: 2)
        }
        if node.identifier == .generalizedTime {
            return parse(Array(bytes), yearDigits: 4)
        }
        return nil
    }

    private static func parse(_ s: [UInt8], yearDigits: Int) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        guard var year = digits(yearDigits), let month = digits(2), let day = digits(2),
            let hour = digits(2), let minute = digits(2)
        else { return nil }
        if yearDigits == 2 { year += year >= 50 ? 1900 : 2000 }
        var second = 0
        if i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
            guard let sec = digits(2) else { return nil }
            second = sec
        }
        // Fractional seconds (GeneralizedTime): skip.
        if i < s.count, s[i] == 0x2e || s[i] == 0x2c {
            i += 1
            let start = i
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        var offsetSeconds = 0
        if i < s.count {
            switch s[i] {
            case 0x5a:  // Z
                i += 1
            case 0x2b, 0x2d:  // + / -
                let sign = s[i] == 0x2b ? 1 : -1
                i += 1
                guard let oh = digits(2), let om = digits(2), oh < 24, om < 60 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            default:
                return nil
            }
        }
        guard i == s.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
    /// `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
