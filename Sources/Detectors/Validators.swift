import WireBytes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Structural checks that separate real identifiers from look-alike numbers.
/// Every function takes exactly the candidate's bytes; none allocates unless it
/// succeeds and returns a description.
enum Validators {
    static func allDigits(_ b: Bytes) -> Bool {
        for c in b where !ByteClass.isDigit(c) { return false }
        return true
    }

    static func allHex(_ b: Bytes) -> Bool {
        for c in b where !ByteClass.isHex(c) { return false }
        return true
    }

    /// A run like 000000000000000 or 111111111111111 passes Luhn and segment checks
    /// but is a placeholder, never a real identifier.
    static func isDegenerate(_ b: Bytes) -> Bool {
        guard b.count > 2 else { return true }
        var distinct: UInt32 = 0
        for c in b { distinct |= 1 << UInt32(ByteClass.lower(c) & 31) }
        if distinct.nonzeroBitCount <= 2 { return true }
        // Ascending/descending sequences (123456789012345) are test fillers.
        var asc = true, desc = true
        for i in 1..<b.count {
            let d = Int(b[i]) - Int(b[i - 1])
            if d != 1 && d != -9 { asc = false }
            if d != -1 && d != 9 { desc = false }
        }
        return asc || desc
    }

    // MARK: IMEI

    /// GSMA reporting-body identifiers (first two TAC digits) actually allocated;
    /// 15-digit timestamps and counters start with other pairs.
    static let reportingBodies: Set<Int> = [1, 10, 30, 33, 35, 44, 45, 49, 50, 51, 52, 53, 54, 86, 91, 98, 99]

    static func imei(_ b: Bytes) -> Bool {
        guard b.count == 15, allDigits(b), Luhn.isValid(b) else { return false }
        return plausibleTAC(b) && !isDegenerate(b)
    }

    static func plausibleTAC(_ b: Bytes) -> Bool {
        guard b.count >= 8 else { return false }
        let rbi = Int(b[0] &- 48) * 10 + Int(b[1] &- 48)
        guard reportingBodies.contains(rbi) else { return false }
        var zeros = 0
        for i in 2..<8 where b[i] == 48 { zeros += 1 }
        return zeros < 6
    }

    // MARK: MEID

    /// MEIDs are 14 hex digits whose regional code A0-FF marks a globally
    /// administered MEID (00-9F are ESN-compatible decimal ranges).
    static func meid(_ b: Bytes, requirePrefix: Bool) -> Bool {
        guard b.count == 14, allHex(b), !isDegenerate(b) else { return false }
        if !requirePrefix { return true }
        guard let hi = ByteClass.hexValue(b[0]), hi >= 0xA else { return false }
        return true
    }

    // MARK: IMSI

    static let chinaMNC: [Int: String] = [
        0: "China Mobile", 2: "China Mobile", 4: "China Mobile", 7: "China Mobile", 8: "China Mobile",
        1: "China Unicom", 6: "China Unicom", 9: "China Unicom",
        3: "China Telecom", 5: "China Telecom", 11: "China Telecom",
        20: "China Tietong",
    ]

    /// Returns a description when the IMSI is a mainland one (MCC 460, known MNC).
    static func imsiChina(_ b: Bytes) -> String? {
        guard b.count == 15, allDigits(b), b[0] == 52, b[1] == 54, b[2] == 48 else { return nil }
        let mnc = Int(b[3] &- 48) * 10 + Int(b[4] &- 48)
        guard let op = chinaMNC[mnc] else { return nil }
        let rest = Bytes(rebasing: b[5...])
        if isDegenerate(rest) { return nil }
        return "MCC 460 MNC \(mnc < 10 ? "0" : "")\(mnc) \(op)"
    }

    static func imsiAny(_ b: Bytes) -> Bool {
        guard b.count == 15 || b.count == 14, allDigits(b) else { return false }
        let mcc = Int(b[0] &- 48) * 100 + Int(b[1] &- 48) * 10 + Int(b[2] &- 48)
        return mcc >= 200 && mcc < 800 && !isDegenerate(b)
    }

    // MARK: ICCID

    static let chinaIssuers: [String: String] = [
        "898600": "China Mobile", "898602": "China Mobile", "898604": "China Mobile", "898607": "China Mobile",
        "898601": "China Unicom", "898606": "China Unicom", "898609": "China Unicom",
        "898603": "China Telecom", "898611": "China Telecom",
    ]

    struct ICCIDResult { var luhn: Bool; var issuer: String? }

    /// ICCIDs are 19-20 characters starting 89 (telecom industry); Chinese SIMs
    /// sometimes carry a letter and an unchecked last digit, so Luhn is reported,
    /// not always required.
    static func iccid(_ b: Bytes) -> ICCIDResult? {
        guard b.count == 19 || b.count == 20, b[0] == 56, b[1] == 57 else { return nil }
        for c in b where !ByteClass.isAlnum(c) { return nil }
        let luhn = allDigits(b) && Luhn.isValid(b)
        var issuer: String? = nil
        if b[2] == 56, b[3] == 54 {
            issuer = chinaIssuers[String(decoding: Bytes(rebasing: b[0..<6]), as: UTF8.self)]
        }
        if isDegenerate(Bytes(rebasing: b[6...])) { return nil }
        return ICCIDResult(luhn: luhn, issuer: issuer)
    }

    // MARK: Phone

    /// Current mainland mobile segments (MIIT numbering plan).
    static func mobileSegment(_ second: UInt8, _ third: UInt8) -> Bool {
        let s = second &- 48, t = third &- 48
        switch s {
        case 3, 8: return true
        case 4: return t >= 5
        case 5: return t != 4
        case 6: return t == 2 || t == 5 || t == 6 || t == 7
        case 7: return t <= 8
        case 9: return t != 4
        default: return false
        }
    }

    /// Whether the token check of a run of digits can find anything in it, with or
    /// without a key: a length some identifier has (11 a mobile number, 13 one after
    /// `86`, 15-20 IMEI, IMSI, ID and card numbers), or one a hex decode reads (16 on).
    /// Not 12, 14, or 13 without `86` (a millisecond timestamp): a 14-digit IMEI under
    /// its key is the keyed detectors' to find.
    @inline(__always) static func digitRunMayBeIdentifier(_ b: Bytes) -> Bool {
        let n = b.count
        if n == 11 || n >= 15 { return true }
        return n == 13 && b[0] == UInt8(ascii: "8") && b[1] == UInt8(ascii: "6")
    }

    /// The offset of the 11-digit number inside a digit run of 11 (bare),
    /// 13 (86…) or 15 (0086…) digits.
    static func phoneOffset(_ b: Bytes) -> Int? {
        guard allDigits(b) else { return nil }
        let off: Int
        switch b.count {
        case 11: off = 0
        case 13: guard b[0] == 56, b[1] == 54 else { return nil }; off = 2
        case 15: guard b[0] == 48, b[1] == 48, b[2] == 56, b[3] == 54 else { return nil }; off = 4
        default: return nil
        }
        guard b[off] == 49, mobileSegment(b[off + 1], b[off + 2]) else { return nil }
        // Only an all-same subscriber number is a placeholder: repeated and
        // ascending digits are sought-after real numbers in China (8888, 1234…).
        let subscriber = Bytes(rebasing: b[(off + 3)..<(off + 11)])
        if subscriber.allSatisfy({ $0 == subscriber[0] }) { return nil }
        return off
    }

    // MARK: Resident ID

    static let provinces: [Int: String] = [
        11: "Beijing", 12: "Tianjin", 13: "Hebei", 14: "Shanxi", 15: "Inner Mongolia",
        21: "Liaoning", 22: "Jilin", 23: "Heilongjiang",
        31: "Shanghai", 32: "Jiangsu", 33: "Zhejiang", 34: "Anhui", 35: "Fujian", 36: "Jiangxi", 37: "Shandong",
        41: "Henan", 42: "Hubei", 43: "Hunan", 44: "Guangdong", 45: "Guangxi", 46: "Hainan",
        50: "Chongqing", 51: "Sichuan", 52: "Guizhou", 53: "Yunnan", 54: "Tibet",
        61: "Shaanxi", 62: "Gansu", 63: "Qinghai", 64: "Ningxia", 65: "Xinjiang",
        71: "Taiwan", 81: "Hong Kong", 82: "Macao",
    ]

    static let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let idCheckChars: [UInt8] = Array("10X98765432".utf8)

    static func idCheckChar(_ b: Bytes) -> UInt8 {
        var sum = 0
        for i in 0..<17 { sum += Int(b[i] &- 48) * idWeights[i] }
        return idCheckChars[sum % 11]
    }

    /// GB 11643: 6-digit region, 8-digit birth date, 3-digit sequence, MOD 11-2 check.
    /// Returns the province name when valid.
    static func residentID(_ b: Bytes) -> String? {
        guard b.count == 18 else { return nil }
        for i in 0..<17 where !ByteClass.isDigit(b[i]) { return nil }
        let last = b[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : b[17]
        guard ByteClass.isDigit(last) || last == UInt8(ascii: "X") else { return nil }
        guard let province = provinces[digits(b, 0, 2)] else { return nil }
        guard digits(b, 2, 4) != 0 || province == "Taiwan" || digits(b, 0, 2) >= 81 else { return nil }
        let year = digits(b, 6, 4), month = digits(b, 10, 2), day = digits(b, 12, 2)
        guard isRealDate(year: year, month: month, day: day, minYear: 1900) else { return nil }
        guard idCheckChar(b) == last else { return nil }
        return province
    }

    /// Pre-1999 15-digit IDs: region, YYMMDD, 3-digit sequence, no check digit.
    static func residentID15(_ b: Bytes) -> String? {
        guard b.count == 15, allDigits(b), let province = provinces[digits(b, 0, 2)] else { return nil }
        guard isRealDate(year: 1900 + digits(b, 6, 2), month: digits(b, 8, 2), day: digits(b, 10, 2), minYear: 1900) else { return nil }
        return province
    }

    static func digits(_ b: Bytes, _ at: Int, _ count: Int) -> Int {
        var v = 0
        for i in at..<(at + count) { v = v * 10 + Int(b[i] &- 48) }
        return v
    }

    static func isRealDate(year: Int, month: Int, day: Int, minYear: Int) -> Bool {
        guard year >= minYear, month >= 1, month <= 12, day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return false }
        return year * 10000 + month * 100 + day <= today
    }

    /// Today as YYYYMMDD (UTC), so a birth date in the future is rejected.
    static let today: Int = {
        let date = CivilDate(daysSinceEpoch: Int64(time(nil)) / 86400)
        return Int(date.year * 10000 + date.month * 100 + date.day)
    }()

    // MARK: Bank card

    /// Issuer by IIN prefix; nil means no network we recognise, so no report.
    static func cardIssuer(_ b: Bytes) -> String? {
        let d0 = b[0] &- 48, d1 = b[1] &- 48
        let two = Int(d0) * 10 + Int(d1)
        let four = digits(b, 0, 4)
        switch b.count {
        case 16...19:
            if two == 62 { return "UnionPay" }
            if d0 == 4 { return "Visa" }
            if b.count == 16, (51...55).contains(two) || (2221...2720).contains(four) { return "Mastercard" }
            if (3528...3589).contains(four) { return "JCB" }
            return nil
        case 15:
            return two == 34 || two == 37 ? "American Express" : nil
        default:
            return nil
        }
    }

    static func bankCard(_ b: Bytes) -> String? {
        guard b.count >= 15, b.count <= 19, allDigits(b), Luhn.isValid(b), !isDegenerate(b) else { return nil }
        return cardIssuer(b)
    }

    // MARK: MAC

    /// Parses `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or 12 bare hex digits into 6 octets.
    static func macOctets(_ b: Bytes) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(6)
        if b.count == 17 {
            let sep = b[2]
            guard sep == UInt8(ascii: ":") || sep == UInt8(ascii: "-") else { return nil }
            for i in 0..<6 {
                guard let h = ByteClass.hexValue(b[i * 3]), let l = ByteClass.hexValue(b[i * 3 + 1]) else { return nil }
                if i < 5, b[i * 3 + 2] != sep { return nil }
                out.append(h << 4 | l)
            }
        } else if b.count == 12 {
            for i in 0..<6 {
                guard let h = ByteClass.hexValue(b[i * 2]), let l = ByteClass.hexValue(b[i * 2 + 1]) else { return nil }
                out.append(h << 4 | l)
            }
        } else {
            return nil
        }
        return out
    }

    /// Placeholders Android and iOS return instead of the real address, plus
    /// broadcast and multicast, which never name one device.
    static func isPlaceholderMAC(_ o: [UInt8]) -> Bool {
        if o.allSatisfy({ $0 == 0 }) || o.allSatisfy({ $0 == 0xFF }) { return true }
        if o == [0x02, 0, 0, 0, 0, 0] { return true }
        if o[0] & 1 == 1 { return true }
        return false
    }

    static func macString(_ o: [UInt8]) -> String {
        var s = [UInt8]()
        for (i, v) in o.enumerated() {
            if i > 0 { s.append(UInt8(ascii: ":")) }
            Hex.append(v, to: &s)
        }
        return String(decoding: s, as: UTF8.self)
    }

    // MARK: UUID

    static func isUUID(_ b: Bytes) -> Bool {
        guard b.count == 36, b[8] == UInt8(ascii: "-"), b[13] == UInt8(ascii: "-"), b[18] == UInt8(ascii: "-"),
              b[23] == UInt8(ascii: "-") else { return false }
        // Branch-free: AND of the class bits of the 32 digits keeps the hex bit only if all are hex.
        return ByteClass.table.withUnsafeBufferPointer { t in
            var acc: UInt8 = 0xFF
            for i in 0..<8 { acc &= t[Int(b[i])] }
            for i in 9..<13 { acc &= t[Int(b[i])] }
            for i in 14..<18 { acc &= t[Int(b[i])] }
            for i in 19..<23 { acc &= t[Int(b[i])] }
            for i in 24..<36 { acc &= t[Int(b[i])] }
            return acc & ByteClass.hex != 0
        }
    }

    static func isZeroID(_ b: Bytes) -> Bool {
        for c in b where c != UInt8(ascii: "0") && c != UInt8(ascii: "-") { return false }
        return true
    }

    // MARK: Coordinates

    struct Decimal { var value: Double; var decimals: Int }

    /// Parses a plain decimal (optional sign) without Foundation; nil on anything else.
    static func decimal(_ b: Bytes) -> Decimal? {
        var i = 0
        var neg = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { neg = b[i] == UInt8(ascii: "-"); i += 1 }
        var intPart = 0.0, intDigits = 0
        while i < b.count, ByteClass.isDigit(b[i]) { intPart = intPart * 10 + Double(b[i] - 48); i += 1; intDigits += 1 }
        guard intDigits > 0, intDigits <= 3 else { return nil }
        var frac = 0.0, scale = 1.0, decimals = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, ByteClass.isDigit(b[i]), decimals < 15 { frac = frac * 10 + Double(b[i] - 48); scale *= 10; i += 1; decimals += 1 }
            while i < b.count, ByteClass.isDigit(b[i]) { i += 1 }
        }
        guard i == b.count else { return nil }
        let v = intPart + frac / scale
        return Decimal(value: neg ? -v : v, decimals: decimals)
    }
}
