import Facts
import WireBytes

/// When the user consented (or refused), as the tester says it: `--consent-at`
/// (a time, or an offset from the capture's start), `--consent-marker` (the
/// request that records the choice), `--consent refused`.
public struct ConsentSetting: Sendable {
    public enum Moment: Sendable, Equatable {
        /// Nanoseconds since the epoch.
        case at(Int64)
        /// Nanoseconds after the first packet.
        case afterStart(Int64)
        /// The first request whose host (if given) and path prefix match.
        case marker(host: String?, pathPrefix: String)
        /// No moment given: for a refusal, the whole session is after it.
        case none
    }

    public var moment: Moment
    public var refused: Bool

    public init(moment: Moment, refused: Bool) {
        self.moment = moment
        self.refused = refused
    }

    /// `api.example-shop.cn/v1/privacy/agree`, `/v1/privacy/agree`, or a full
    /// URL (scheme dropped); the path matches by prefix, the host exactly.
    public static func marker(_ text: String) -> Moment? {
        var rest = Substring(text)
        for scheme in ["https://", "http://"] where rest.lowercased().hasPrefix(scheme) { rest = rest.dropFirst(scheme.count) }
        guard let slash = rest.firstIndex(of: "/") else { return rest.isEmpty ? nil : .marker(host: rest.lowercased(), pathPrefix: "/") }
        let host = rest[..<slash]
        return .marker(host: host.isEmpty ? nil : host.lowercased(), pathPrefix: String(rest[slash...]))
    }

    /// `2026-12-07T23:23:30Z` (fractions allowed), or an offset: `+90`, `90s`, `1m30s`, `2.5s`.
    public static func time(_ text: String) -> Moment? {
        if let nanos = parseISO8601(text) { return .at(nanos) }
        var rest = Substring(text.trimming(" "))
        if rest.hasPrefix("+") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        var number = ""
        for character in rest {
            if character.isNumber || character == "." { number.append(character); continue }
            guard let value = Double(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        if !number.isEmpty {
            guard let value = Double(number) else { return nil }
            total += value
        }
        guard total >= 0, total < 1e9 else { return nil }
        return .afterStart(Int64(total * 1e9))
    }

    static func parseISO8601(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int64? { Int64(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int64(bytes[index] - 0x30); digits += 1 }
                index += 1
            }
            while digits < 9 { nanos *= 10; digits += 1 }
        }
        var offset: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                  let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6)) {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        // Days from the civil date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) - offset) * 1_000_000_000 + nanos
    }
}
