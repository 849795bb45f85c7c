import Facts
/// Detectors for values that have no shape of their own (a password, a serial,
/// a latitude) or whose shape is too common to report without a key naming them
/// (16 hex digits, a UUID). They run only when the key carries a context tag.
enum KeyedDetectors {
    static func string(_ b: Bytes) -> String { String(decoding: b, as: UTF8.self) }

    static func detect(_ raw: Bytes, tags: ContextTags, in ins: Inspection) {
        var v = raw
        if v.count >= 2, v.first == UInt8(ascii: "\""), v.last == UInt8(ascii: "\"") { v = Bytes(rebasing: v[1..<(v.count - 1)]) }
        guard !v.isEmpty, v.count <= 4096, !isNullish(v) else { return }
        let allDigits = Validators.allDigits(v)
        let allHex = Validators.allHex(v)
        let isUUID = Validators.isUUID(v)

        if tags.contains(.password) {
            if !v.allSatisfy({ $0 == UInt8(ascii: "*") }), v.count <= 256 {
                ins.emit(.password, bytes: v, confidence: 0.9, detail: "value of a password field")
            }
            return
        }
        if tags.contains(.latitude) { ins.offerLatitude(v) }
        if tags.contains(.longitude) { ins.offerLongitude(v) }
        if tags.contains(.location) { locationPair(v, in: ins) }
        if tags.contains(.bssid) || tags.contains(.mac), let o = Validators.macOctets(v) {
            if !Validators.isPlaceholderMAC(o) {
                ins.emit(tags.contains(.bssid) ? .bssid : .mac, Validators.macString(o), confidence: 0.95)
            }
            return
        }
        if tags.contains(.ssid), !tags.contains(.bssid), v.count <= 32, !allDigits, v.count >= 2,
           !["true", "false", "unknown", "<unknown ssid>", "wifi", "none"].contains(string(v).lowercased()) {
            ins.emit(.ssid, string(v), confidence: 0.85, detail: "value of a Wi-Fi SSID field")
            return
        }
        if isUUID {
            if Validators.isZeroID(v) { return }
            if tags.contains(.idfa) { ins.emit(.idfa, string(v).uppercased(), confidence: 0.95); return }
            if tags.contains(.idfv) { ins.emit(.idfv, string(v).uppercased(), confidence: 0.95); return }
            if tags.contains(.oaid) { ins.emit(.oaid, string(v).lowercased(), confidence: 0.95); return }
            return
        }
        if allHex, !allDigits || tags.contains(.meid) || tags.contains(.androidID) {
            if Validators.isZeroID(v) || Validators.isDegenerate(v) { return }
            if tags.contains(.oaid), (16...64).contains(v.count) { ins.emit(.oaid, string(v).lowercased(), confidence: 0.9); return }
            if v.count == 14, tags.contains(.meid) || tags.contains(.device), Validators.meid(v, requirePrefix: false) {
                ins.emit(.meid, string(v).uppercased(), confidence: 0.9); return
            }
            if tags.contains(.androidID) && (13...16).contains(v.count) || tags.contains(.device) && v.count == 16 {
                ins.emit(.androidID, string(v).lowercased(), confidence: tags.contains(.androidID) ? 0.95 : 0.85); return
            }
        }
        if allDigits {
            if v.count == 14, tags.contains(.imei), Validators.plausibleTAC(v), !Validators.isDegenerate(v) {
                ins.emit(.imei, string(v), confidence: 0.9, detail: "14-digit IMEI (no check digit) under an IMEI key"); return
            }
            if v.count == 15, tags.contains(.imsi), Validators.imsiChina(v) == nil, Validators.imsiAny(v) {
                let mcc = string(Bytes(rebasing: v[0..<3]))
                ins.emit(.imsi, string(v), confidence: 0.85, detail: "MCC \(mcc) under an IMSI key"); return
            }
            if v.count == 15, tags.contains(.residentID), let prov = Validators.residentID15(v) {
                ins.emit(.residentIDCN, string(v), confidence: 0.85, detail: "15-digit legacy ID, region \(prov)"); return
            }
            if v.count == 15, tags.contains(.bankCard), let issuer = Validators.bankCard(v) {
                ins.emit(.bankCard, string(v), confidence: 0.9, detail: issuer); return
            }
        }
        if tags.contains(.iccid), v.count == 19 || v.count == 20, let r = Validators.iccid(v), !r.luhn {
            ins.emit(.iccid, string(v).uppercased(), confidence: 0.85,
                     detail: r.issuer.map { "ICCID issuer \($0)" } ?? "ICCID under key (no Luhn)"); return
        }
        if tags.contains(.serial), (5...32).contains(v.count), v.allSatisfy({ ByteClass.isAlnum($0) || $0 == UInt8(ascii: "-") }),
           v.contains(where: { ByteClass.isDigit($0) }), !Validators.isDegenerate(v), !allDigits || v.count >= 8 {
            ins.emit(.serial, bytes: v, confidence: 0.85, detail: "value of a serial-number field"); return
        }
        if tags.contains(.token), looksLikeToken(v) {
            ins.emit(.authToken, bytes: v, confidence: 0.9, detail: "value of a token/session field")
        }
    }

    static let nullWords: [[UInt8]] = ["null", "undefined", "nil", "none", "(null)"].map { Array($0.utf8) }

    /// Compared byte by byte, ASCII case folded: this runs for every keyed value.
    static func isNullish(_ v: Bytes) -> Bool {
        guard v.count <= 9, v.count >= 3 else { return false }
        for word in nullWords where word.count == v.count {
            var k = 0
            while k < v.count, ByteClass.lower(v[k]) == word[k] { k += 1 }
            if k == v.count { return true }
        }
        return false
    }

    /// Long, random-looking, in a token alphabet: session ids and bearer tokens,
    /// not "1", "true" or a user name.
    static func looksLikeToken(_ v: Bytes) -> Bool {
        guard v.count >= 16, v.count <= 4096 else { return false }
        var letters = false, digits = false, distinct: UInt64 = 0
        for c in v {
            if ByteClass.isDigit(c) { digits = true } else if ByteClass.isAlpha(c) { letters = true }
            else if !(c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "=")
                      || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") || c == UInt8(ascii: "%") || c == UInt8(ascii: "|")
                      || c == UInt8(ascii: ":")) { return false }
            distinct |= 1 << UInt64(c & 63)
        }
        return letters && digits && distinct.nonzeroBitCount >= 8
    }

    /// "lat,lon" or AMap/Baidu "lng,lat" under a location key.
    static func locationPair(_ v: Bytes, in ins: Inspection) {
        guard let comma = v.firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: ";") }) else { return }
        var a = Bytes(rebasing: v[0..<comma]), b = Bytes(rebasing: v[(comma + 1)...])
        while let f = a.first, f == 0x20 { a = Bytes(rebasing: a[1...]) }
        while let f = b.first, f == 0x20 { b = Bytes(rebasing: b[1...]) }
        guard let x = Validators.decimal(a), let y = Validators.decimal(b) else { return }
        var lat = (text: string(a), value: x), lon = (text: string(b), value: y)
        if abs(x.value) > 90 || (abs(x.value) >= 73 && abs(y.value) <= 54 && abs(x.value) > abs(y.value)) { swap(&lat, &lon) }
        guard abs(lat.value.value) <= 90, abs(lon.value.value) <= 180 else { return }
        ins.emitCoordinates(lat: lat, lon: lon, confidence: 0.9)
    }

    static let packageRoots: Set<String> = ["com", "cn", "org", "net", "io", "me", "tv", "android", "air", "de", "jp",
                                            "kr", "uk", "co", "in", "ru", "fr", "us", "app", "ai", "tw", "hk", "top", "xyz", "so"]
    static let tlds: Set<String> = ["com", "cn", "net", "org", "io", "me", "tv", "cc", "co", "info", "top", "xyz", "edu",
                                    "gov", "html", "htm", "php", "js", "css", "json", "png", "jpg", "so", "app", "hk", "tw", "jp", "uk"]

    /// One value holding five or more Android package names (com.tencent.mm,…)
    /// is an installed-app list, whatever its key.
    /// '.' bytes in `v`, eight at a time (exact: no carries cross bytes).
    @inline(__always) static func countDots(_ v: Bytes) -> Int {
        guard let b = v.baseAddress else { return 0 }
        let n = v.count
        var dots = 0, i = 0
        let dot: UInt64 = 0x2E2E_2E2E_2E2E_2E2E, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= n {
            let t = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) ^ dot
            // High bit of a byte set iff it was zero (that is, a '.'). Counted only when
            // there is one: base x86-64 has no POPCNT, and most words hold no dot.
            let found = ~(((t & lows) &+ lows) | t | lows)
            if found != 0 { dots += found.nonzeroBitCount }
            i += 8
        }
        while i < n { if b[i] == UInt8(ascii: ".") { dots += 1 }; i += 1 }
        return dots
    }

    static func appList(_ v: Bytes, in ins: Inspection) {
        guard Self.countDots(v) >= 8 else { return }
        var names = [String]()
        var seen = Set<String>()
        var i = 0
        while i < v.count {
            guard ByteClass.isAlpha(v[i]), i == 0 || !(ByteClass.isAlnum(v[i - 1]) || v[i - 1] == UInt8(ascii: ".") || v[i - 1] == UInt8(ascii: "_")) else { i += 1; continue }
            var e = i
            while e < v.count, ByteClass.isAlnum(v[e]) || v[e] == UInt8(ascii: ".") || v[e] == UInt8(ascii: "_") { e += 1 }
            let candidate = string(Bytes(rebasing: v[i..<e]))
            i = e
            let parts = candidate.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2, parts.count <= 10, parts.allSatisfy({ !$0.isEmpty && $0.first!.isLetter }),
                  packageRoots.contains(parts[0].lowercased()), !tlds.contains(parts.last!.lowercased()),
                  seen.insert(candidate).inserted else { continue }
            names.append(candidate)
        }
        if names.count >= 5 {
            ins.emit(.appList, names.joined(separator: ","), confidence: 0.9, detail: "\(names.count) package names in one field")
        }
    }
}
