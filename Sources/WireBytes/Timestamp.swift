/// ISO 8601 UTC spellings of capture and certificate times, without Foundation.
public enum Timestamp {
    /// `2026-11-23T03:28:50Z` from Unix seconds; with `nanos`, `…:50.123456789Z`.
    public static func iso8601(seconds: Int64, nanos: Int64? = nil) -> String {
        let days = seconds / 86_400 - (seconds % 86_400 < 0 ? 1 : 0)
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        var text = [UInt8]()
        text.reserveCapacity(30)
        func digits(_ value: Int64, _ width: Int) {
            var scratch = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value < 0 ? -value : value
            var index = width - 1
            while index >= 0 {
                scratch[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                index -= 1
            }
            // A year beyond four digits keeps all of them.
            if rest > 0 { text.append(contentsOf: Array(String(rest).utf8)) }
            if value < 0 { text.append(UInt8(ascii: "-")) }
            text.append(contentsOf: scratch)
        }
        digits(date.year, 4); text.append(UInt8(ascii: "-"))
        digits(date.month, 2); text.append(UInt8(ascii: "-"))
        digits(date.day, 2); text.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); text.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2); text.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        if let nanos {
            text.append(UInt8(ascii: "."))
            digits(nanos, 9)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// A capture time in nanoseconds since the epoch, to the nanosecond.
    /// Floor division that cannot overflow, whatever a corrupt record says.
    public static func iso8601(nanoseconds: Int64) -> String {
        let remainder = nanoseconds % 1_000_000_000
        let seconds = nanoseconds / 1_000_000_000 - (remainder < 0 ? 1 : 0)
        return iso8601(seconds: seconds, nanos: remainder < 0 ? remainder + 1_000_000_000 : remainder)
    }
}
