import Facts
/// The one table of key names that count as context, in English and in the pinyin
/// spellings Chinese SDKs use. docs/pii.md lists the same words; keep them in step.
///
/// Keys are normalised before lookup: ASCII lower-cased, `_ - . space` removed, a
/// leading `x-` header prefix dropped. The whole key is looked up, then each
/// component (split at separators and camelCase humps), then a few long words
/// are searched as substrings (`userMobile`, `loginPassword`).
enum ContextWords {
    static let words: [(ContextTags, [String])] = [
        (.imei, ["imei", "imei1", "imei2", "imeis", "deviceimei", "imeiid", "imeicode"]),
        (.meid, ["meid"]),
        (.imsi, ["imsi", "subscriberid", "imsiid"]),
        (.iccid, ["iccid", "simserial", "simserialnumber", "simid", "simsn", "iccidno"]),
        (.phone, ["phone", "mobile", "mobileno", "mobilephone", "phonenumber", "phonenum", "phoneno", "tel",
                  "telephone", "msisdn", "cellphone", "usermobile", "userphone", "shouji", "sjh", "shoujihao",
                  "sjhm", "dianhua", "lxdh", "shoujihaoma", "mobilenum", "手机号", "手机", "电话"]),
        (.residentID, ["idcard", "idno", "idnumber", "idcardno", "idcardnumber", "identity", "identityno",
                       "sfz", "sfzh", "sfzhm", "shenfenzheng", "certno", "certificateno", "zjhm", "身份证", "身份证号"]),
        (.bankCard, ["bankcard", "cardno", "cardnumber", "bankcardno", "bankno", "yhk", "yhkh", "yinhangka",
                     "creditcard", "debitcard", "acctno", "pan", "银行卡", "卡号"]),
        (.email, ["email", "mail", "emailaddress", "youxiang", "yx", "邮箱"]),
        (.mac, ["mac", "macaddress", "macaddr", "wifimac", "wlanmac", "ethmac", "btmac", "bluetoothmac", "devicemac"]),
        (.androidID, ["androidid", "ssaid", "andid", "adrid"]),
        (.oaid, ["oaid", "oaidid"]),
        (.idfa, ["idfa", "advertisingidentifier", "ifa", "adid"]),
        (.idfv, ["idfv", "identifierforvendor", "vendorid"]),
        (.serial, ["serial", "sn", "serialno", "serialnumber", "devicesn", "buildserial", "xuliehao", "xlh", "hwsn"]),
        (.latitude, ["lat", "latitude", "wd", "weidu", "纬度", "userlat"]),
        (.longitude, ["lng", "lon", "longitude", "jd", "jingdu", "经度", "userlng", "userlon"]),
        (.location, ["location", "loc", "gps", "coord", "coords", "coordinate", "coordinates", "lbs", "position",
                     "latlng", "lnglat", "latlon", "lonlat", "geo", "dingwei", "weizhi", "定位", "位置"]),
        (.password, ["password", "passwd", "pwd", "pass", "mima", "密码", "passcode", "userpwd", "loginpwd", "paypwd",
                     "zfmm", "loginpassword", "userpassword", "oldpassword", "newpassword", "pswd", "psw"]),
        (.token, ["token", "accesstoken", "authtoken", "session", "sessionid", "sid", "jsessionid", "phpsessid",
                  "ticket", "refreshtoken", "sessionkey", "sessid", "idtoken", "authorization", "usertoken", "logintoken"]),
        (.ssid, ["ssid", "wifissid", "wifiname", "wlanssid", "wifi"]),
        (.bssid, ["bssid", "wifibssid", "apmac", "routermac"]),
        (.appList, ["applist", "apps", "installedapps", "pkglist", "packagelist", "packages", "installedpackages",
                    "appinfos", "yingyong", "applications", "pkgs", "installlist"]),
        (.device, ["deviceid", "devid", "did", "udid", "sbh", "shebeihao", "sbid", "devicecode", "deviceno",
                   "cuid", "deviceidentifier", "hardwareid", "hwid", "machineid", "uniqueid", "设备号", "设备id"]),
    ]

    /// Long words searched inside keys that are not in the table as a whole.
    static let substrings: [(ContextTags, [UInt8])] = [
        (.imei, Array("imei".utf8)), (.imsi, Array("imsi".utf8)), (.iccid, Array("iccid".utf8)),
        (.phone, Array("phone".utf8)), (.phone, Array("mobile".utf8)), (.phone, Array("shouji".utf8)),
        (.email, Array("email".utf8)), (.oaid, Array("oaid".utf8)), (.idfa, Array("idfa".utf8)), (.idfv, Array("idfv".utf8)),
        (.bssid, Array("bssid".utf8)), (.ssid, Array("wifissid".utf8)), (.password, Array("password".utf8)),
        (.password, Array("passwd".utf8)), (.token, Array("token".utf8)), (.androidID, Array("androidid".utf8)),
        (.residentID, Array("idcard".utf8)), (.bankCard, Array("bankcard".utf8)), (.mac, Array("macaddr".utf8)),
        (.latitude, Array("latitude".utf8)), (.longitude, Array("longitude".utf8)), (.device, Array("deviceid".utf8)),
    ]

    /// Word hash → tags, open addressing on the FNV hash itself: looked up for
    /// every key the first time a body shows it, so no Hasher and no Dictionary.
    struct WordTable: @unchecked Sendable {
        let hashes: UnsafeMutablePointer<UInt64>
        let tags: UnsafeMutablePointer<ContextTags>
        let mask: Int

        init(_ words: [(ContextTags, [String])]) {
            var merged = [UInt64: ContextTags]()
            for (tag, list) in words {
                for w in list { merged[ContextWords.hash(Array(w.utf8)), default: []].insert(tag) }
            }
            var size = 16
            while size < merged.count * 4 { size <<= 1 }
            mask = size - 1
            hashes = .allocate(capacity: size)
            hashes.initialize(repeating: 0, count: size)
            tags = .allocate(capacity: size)
            tags.initialize(repeating: [], count: size)
            for (h, t) in merged {
                var slot = Int(truncatingIfNeeded: h) & mask
                while hashes[slot] != 0 { slot = (slot + 1) & mask }
                precondition(h != 0, "0 marks a free slot")
                hashes[slot] = h
                tags[slot] = t
            }
        }

        @inline(__always) func lookup(_ h: UInt64) -> ContextTags? {
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let stored = hashes[slot]
                if stored == h { return tags[slot] }
                if stored == 0 { return nil }
                slot = (slot &+ 1) & mask
            }
        }
    }

    static let table = WordTable(words)

    /// The substring words' first bytes, as a 256-bit set.
    static let wordStarts: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 4)
        for (_, word) in substrings { bits[Int(word[0]) >> 6] |= 1 << UInt64(word[0] & 63) }
        return bits
    }()

    /// The substring words grouped by first byte, so a key is searched only at
    /// positions where some word could start.
    static let substringsByFirstByte: [[(ContextTags, [UInt8])]] = {
        var groups = [[(ContextTags, [UInt8])]](repeating: [], count: 256)
        for (tag, word) in substrings { groups[Int(word[0])].append((tag, word)) }
        return groups
    }()

    @inline(__always) static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for c in bytes { h = (h ^ UInt64(c)) &* 0x100000001b3 }
        return h
    }

    @inline(__always) static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: " ")
    }

    static func tags(forKey key: String) -> ContextTags {
        var a = Array(key.utf8)
        return a.withUnsafeMutableBufferPointer { tags(forKey: UnsafeBufferPointer($0)) }
    }

    /// No heap allocation: the key is normalised into a stack buffer.
    static func tags(forKey rawKey: UnsafeBufferPointer<UInt8>) -> ContextTags {
        var key = rawKey
        if key.isEmpty { return [] }
        if key.count > 2, key[0] | 0x20 == UInt8(ascii: "x"), key[1] == UInt8(ascii: "-") {
            key = UnsafeBufferPointer(rebasing: key[2...])
        }
        if key.count > 64 { key = UnsafeBufferPointer(rebasing: key[(key.count - 64)...]) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { norm -> ContextTags in
            var n = 0
            var result: ContextTags = []
            var compHash: UInt64 = 0xcbf29ce484222325
            var compLen = 0
            var prevLower = false
            let t = table
            for c in key {
                let sep = isSeparator(c)
                let isUpper = c &- 65 < 26
                if sep || (isUpper && prevLower) {
                    if compLen > 0, let tag = t.lookup(compHash) { result.formUnion(tag) }
                    compHash = 0xcbf29ce484222325; compLen = 0
                }
                prevLower = c &- 97 < 26 || ByteClass.isDigit(c)
                if sep { continue }
                let l = ByteClass.lower(c)
                norm[n] = l; n += 1
                compHash = (compHash ^ UInt64(l)) &* 0x100000001b3; compLen += 1
            }
            if compLen > 0, compLen < n, let tag = t.lookup(compHash) { result.formUnion(tag) }
            let whole = UnsafeBufferPointer(rebasing: norm[0..<n])
            if let tag = t.lookup(hash(whole)) { result.formUnion(tag) }
            if result.isEmpty, n >= 5 {
                // Only words shorter than the key count (the whole key was looked up above).
                let groups = substringsByFirstByte, wordStarts = Self.wordStarts
                for start in 0..<(n - 3) where wordStarts[Int(whole[start]) >> 6] & (1 << UInt64(whole[start] & 63)) != 0 {
                    for (tag, word) in groups[Int(whole[start])] where word.count < n && start + word.count <= n {
                        var k = 1
                        while k < word.count, whole[start + k] == word[k] { k += 1 }
                        if k == word.count { result.insert(tag) }
                    }
                }
            }
            return result
        }
    }
}
