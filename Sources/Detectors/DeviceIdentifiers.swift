import Facts

/// The test phone's own identifiers (`--device FILE`). Each value is validated
/// by the same rules the detectors use, so a typo is caught before a capture is
/// searched for an identifier that can never match.
public struct DeviceIdentifiers: Sendable {
    public static let keys: [String] = ["imei", "imei2", "meid", "imsi", "iccid", "phone", "android_id", "oaid", "idfa",
                                        "idfv", "mac", "wifi_bssid", "wifi_ssid", "serial", "home_lat", "home_lon"]

    struct Entry: Sendable, Hashable {
        var key: String
        var type: PIType
        /// Normalised form searched for.
        var value: String
        /// What a hit reports as `PIMatch.value`: the value itself, except for
        /// home_lat/home_lon, which report the "lat,lon" pair as the corpus and
        /// the coordinates detector spell it.
        var reported: String? = nil
        var reportedValue: String { reported ?? value }
    }

    let entries: [Entry]

    /// Normalised (key, value) pairs, for reporters that echo the device file.
    public var normalizedEntries: [(key: String, value: String)] { entries.map { ($0.key, $0.value) } }

    public init(entries: [(key: String, value: String)]) throws(DeviceFileError) {
        var seen = Set<String>()
        var out = [Entry]()
        for (key, raw) in entries {
            guard Self.keys.contains(key) else {
                throw DeviceFileError(key: key, message: "unknown key; expected one of \(Self.keys.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else { throw DeviceFileError(key: key, message: "given more than once") }
            let value = raw.trimmingSpaces
            guard !value.isEmpty else { throw DeviceFileError(key: key, message: "empty value") }
            out.append(try Self.validate(key: key, value: value))
        }
        if let lat = out.first(where: { $0.key == "home_lat" }), let lon = out.first(where: { $0.key == "home_lon" }) {
            for index in out.indices where out[index].type == .coordinates {
                out[index].reported = "\(lat.value),\(lon.value)"
            }
        }
        self.entries = out
    }

    static func validate(key: String, value: String) throws(DeviceFileError) -> Entry {
        func fail(_ why: String) -> DeviceFileError { DeviceFileError(key: key, message: "'\(value)' \(why)") }
        let compact = String(value.filter { $0 != " " && $0 != "-" })
        var bytes = Array(compact.utf8)
        let b = bytes.withUnsafeMutableBufferPointer { UnsafeBufferPointer($0) }
        switch key {
        case "imei", "imei2":
            guard b.count == 15, Validators.allDigits(b) else { throw fail("is not 15 digits") }
            guard Luhn.isValid(b) else { throw fail("fails the Luhn check digit") }
            return Entry(key: key, type: .imei, value: compact)
        case "meid":
            guard b.count == 14, Validators.allHex(b) else { throw fail("is not 14 hexadecimal digits") }
            return Entry(key: key, type: .meid, value: compact.uppercased())
        case "imsi":
            guard b.count == 15 || b.count == 14, Validators.allDigits(b) else { throw fail("is not 14-15 digits") }
            return Entry(key: key, type: .imsi, value: compact)
        case "iccid":
            guard b.count == 19 || b.count == 20, b.allSatisfy({ ByteClass.isAlnum($0) }), compact.hasPrefix("89") else {
                throw fail("is not 19-20 characters starting 89")
            }
            return Entry(key: key, type: .iccid, value: compact.uppercased())
        case "phone":
            var digits = compact
            if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("0086") { digits.removeFirst(4) }
            else if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
            var d = Array(digits.utf8)
            let ok = d.withUnsafeMutableBufferPointer { Validators.phoneOffset(UnsafeBufferPointer($0)) == 0 }
            guard ok else { throw fail("is not a mainland mobile number (11 digits, current 1[3-9] segment)") }
            return Entry(key: key, type: .phoneCN, value: digits)
        case "android_id":
            let v = value.lowercased()
            guard (8...16).contains(v.utf8.count), v.utf8.allSatisfy({ ByteClass.isHex($0) }) else { throw fail("is not 8-16 hexadecimal digits") }
            return Entry(key: key, type: .androidID, value: v)
        case "oaid", "idfa", "idfv":
            var vb = Array(value.utf8)
            let isUUID = vb.withUnsafeMutableBufferPointer { Validators.isUUID(UnsafeBufferPointer($0)) }
            let isHexID = (16...64).contains(vb.count) && vb.allSatisfy { ByteClass.isHex($0) }
            guard isUUID || (key == "oaid" && isHexID) else {
                throw fail(key == "oaid" ? "is neither a UUID nor 16-64 hexadecimal digits" : "is not a UUID (8-4-4-4-12 hex)")
            }
            guard !vb.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "-") }) else {
                throw fail("is the all-zero placeholder (tracking disabled), not an identifier")
            }
            let type: PIType = key == "oaid" ? .oaid : key == "idfa" ? .idfa : .idfv
            return Entry(key: key, type: type, value: key == "oaid" ? value.lowercased() : value.uppercased())
        case "mac", "wifi_bssid":
            var vb = Array(value.utf8)
            guard let octets = vb.withUnsafeMutableBufferPointer({ Validators.macOctets(UnsafeBufferPointer($0)) }) else {
                throw fail("is not a MAC address (six hex pairs separated by ':' or '-', or 12 hex digits)")
            }
            guard !Validators.isPlaceholderMAC(octets) else {
                throw fail("is a placeholder, broadcast or multicast address, not a device's")
            }
            return Entry(key: key, type: key == "mac" ? .mac : .bssid, value: Validators.macString(octets))
        case "wifi_ssid":
            guard value.utf8.count <= 32 else { throw fail("is longer than 32 bytes") }
            return Entry(key: key, type: .ssid, value: value)
        case "serial":
            guard (4...64).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw fail("is not 4-64 printable characters without spaces")
            }
            return Entry(key: key, type: .serial, value: value)
        case "home_lat", "home_lon":
            var vb = Array(value.utf8)
            guard let d = vb.withUnsafeMutableBufferPointer({ Validators.decimal(UnsafeBufferPointer($0)) }) else {
                throw fail("is not a decimal number")
            }
            let range = key == "home_lat" ? 90.0 : 180.0
            guard abs(d.value) <= range else { throw fail("is outside ±\(Int(range))") }
            guard d.decimals >= 3 else { throw fail("has fewer than 3 decimals, too coarse to search for") }
            return Entry(key: key, type: .coordinates, value: value)
        default:
            throw DeviceFileError(key: key, message: "unknown key")
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
