import Facts
import Foundation
import Testing
@testable import Detectors
import TestSupport

/// `Inspection.leafVerdict` lets most JSON values skip the scanner. It must be
/// sound: a value it calls quiet yields nothing when scanned in full, and one it
/// calls a single token yields exactly what the full scan yields.
@Suite struct LeafTriageTests {
    /// Values built from the pieces PI hides among: digit runs of every length
    /// around the identifier lengths, hex, base64, UUIDs, separators, emails,
    /// escapes, non-ASCII, and the device's own identifiers.
    static func values(count: Int) -> [String] {
        var rng = SplitMix64(seed: 20261123)
        let pieces: [(inout SplitMix64) -> String] = [
            { r in String((0..<r.next(1...22)).map { _ in "0123456789".randomElement(using: &r)! }) },
            { r in String((0..<r.next(4...40)).map { _ in "0123456789abcdef".randomElement(using: &r)! }) },
            { r in String((0..<r.next(8...44)).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".randomElement(using: &r)! }) },
            { r in ["app_background", "page_view", "wifi", "4g", "Pixel 7", "zh-CN", "exp_17", "home", "true", "Asia/Shanghai"].randomElement(using: &r)! },
            { r in (0..<r.next(2...14)).map { _ in ["summer", "sale", "phone", "case", "with", "free", "shipping", "v2.1", "x", "1080"].randomElement(using: &r)! }.joined(separator: " ") + " " },
            { _ in "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" },
            { _ in "dbd58ac9-ab34-4883-93c5-c0ae11cad74d" },
            // UUIDs whose last group is twelve digits (a phone number inside) or the device's bare MAC.
            { r in
                let hex = { (n: Int, r: inout SplitMix64) in String((0..<n).map { _ in "0123456789abcdef".randomElement(using: &r)! }) }
                let last = ["013912348876", "a450461c7e92", "861234567890", hex(12, &r)].randomElement(using: &r)!
                return hex(8, &r) + "-" + hex(4, &r) + "-4" + hex(3, &r) + "-8" + hex(3, &r) + "-" + last
            },
            { _ in "861234567890127" }, { _ in "13912348876" }, { _ in "+8613912348876" }, { _ in "3f9a1c7e5b2d4086" },
            { _ in "a4:50:46:1c:7e:92" }, { _ in "a4-50-46-1c-7e-92" }, { _ in "R58N3A1BC2D" }, { _ in "22.543096" },
            { _ in "user@example.cn" }, { _ in "%31%33" }, { _ in "=" }, { _ in "服务" }, { _ in " " }, { _ in "-" }, { _ in "." },
            { _ in "_" }, { _ in "+" }, { _ in "/" }, { _ in "com.tencent.mm" }, { _ in "eyJhbGciOiJIUzI1NiJ9" },
            { _ in "MTM5MTIzNDg4NzY=" }, { _ in "1763870837511" }, { _ in "110101199003077578" },
            // Words joined by '_': flag names, and base64url of text with '_' in it.
            { r in "flag_\(r.next(0...99999))_" + String((0..<6).map { _ in "0123456789abcdef".randomElement(using: &r)! }) },
            { _ in "cGhvbmU9MTM5MTIzNDg4NzY_" }, { _ in "_" },
            // Hex ids, and hex that spells text (phone=…, imei=…) or starts like gzip/zlib.
            { _ in "70686f6e653d3133393132333438383736" }, { _ in "696D65693D383631323334353637383930313237" },
            { r in ["1f8b", "1F8B", "78", "7f", ""].randomElement(using: &r)! + String((0..<2 * r.next(6...24)).map { _ in "0123456789abcdef".randomElement(using: &r)! }) },
        ]
        var out = [String]()
        for _ in 0..<count {
            var s = ""
            // A third are mostly prose: long values, quiet ones among them.
            let prose = rng.next(0...2) == 0
            for _ in 0..<rng.next(1...6) {
                s += pieces[prose && rng.next(0...3) > 0 ? 4 : rng.next(0...(pieces.count - 1))](&rng)
            }
            out.append(s)
        }
        return out
    }

    static let device = try! DeviceIdentifiers(entries: [
        ("imei", "861234567890127"), ("phone", "13912348876"), ("android_id", "3f9a1c7e5b2d4086"),
        ("oaid", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), ("mac", "a4:50:46:1c:7e:92"), ("serial", "R58N3A1BC2D"),
    ])

    func check(device: DeviceVariantIndex?) {
        var quiet = 0, single = 0, longQuiet = 0, encoded = 0
        for text in Self.values(count: 9000) {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { v in
                let full = Inspection(limits: .init(), device: device)
                full.inspectLeaf(v, keyTags: [], triage: false)
                let expected = full.deduplicated().map { "\($0.type) \($0.value) \($0.decoding)" }.sorted()
                // Loaded through the walker's own path: the value sits in a larger buffer there.
                let probe = Inspection(limits: .init(), device: device)
                var dots = 0
                switch Inspection.leafVerdict(v, readable: v.count, device: probe.devicePrefixes, dotsSeen: &dots) {
                case .quiet:
                    quiet += 1
                    if v.count > 64 { longQuiet += 1 }
                    #expect(expected.isEmpty, "called quiet: \(text)")
                case .singleToken:
                    single += 1
                    probe.scanSingleToken(v, keyTags: [])
                    let got = probe.deduplicated().map { "\($0.type) \($0.value) \($0.decoding)" }.sorted()
                    #expect(got == expected, "single token: \(text)")
                case .encodedRun:
                    encoded += 1
                    probe.decodeEncodedRun(v, keyTags: [])
                    let got = probe.deduplicated().map { "\($0.type) \($0.value) \($0.decoding)" }.sorted()
                    #expect(got == expected, "encoded run: \(text)")
                case .full:
                    break
                }
            }
        }
        // The generator must exercise both shortcuts, or this test proves nothing.
        #expect(quiet > 200)
        #expect(single > 200)
        // Values past 64 bytes are classified in two words: runs across the seam count.
        #expect(longQuiet > 50)
        // Words joined by '_' (a run whose decoding is all the scan would try).
        #expect(encoded > 20)
    }

    @Test func soundWithoutDeviceList() { check(device: nil) }

    @Test func soundWithDeviceList() { check(device: DeviceVariantIndex(Self.device)) }

    @Test func bytesAfterTheValueDoNotCount() {
        // A value's bytes are loaded sixteen at a time when the buffer allows it; the
        // bytes after the value (here a trigger, digits and a device prefix) must not count.
        let body = Array("54789".utf8) + Array("@example.com 13912348876 861234567890123456".utf8)
        body.withUnsafeBufferPointer { all in
            let v = UnsafeBufferPointer(rebasing: all[0..<5])
            var dots = 0
            #expect(Inspection.leafVerdict(v, readable: all.count, device: nil, dotsSeen: &dots) == .quiet)
            #expect(dots == 0)
            let index = DeviceVariantIndex(Self.device)
            #expect(Inspection.leafVerdict(v, readable: all.count, device: index.lookup.prefixes, dotsSeen: &dots) == .quiet)
        }
    }
}

/// The JSON walker's bookkeeping: paths through nested arrays, truncated bodies,
/// repeats, package names below arrays.
@Suite struct JSONWalkerTests {
    @Test func pathsThroughNestedArrays() {
        let m = T.of(.imei, T.run(#"{"a":[[1,{"imei":"861234567890127"}],[2]],"b":{"c":[{"d":0},{"imei":"861234567890135"}]}}"#, .json))
        #expect(m.map(\.decoding) == [["json:$.a[0][1].imei"], ["json:$.b.c[1].imei"]])
    }

    @Test func truncatedValueIsScannedAsText() {
        let m = T.of(.phoneCN, T.run(#"{"n":1,"note":"call 13812345678 now"#, .json))
        #expect(m.count == 1)
        #expect(m.first?.value == "13812345678")
    }

    @Test func repeatsOfAKeyedValueAreCounted() {
        let token = "c9af910bb08a5302d8e1"
        let body = "[" + (0..<5).map { #"{"sid":"\#(token)","n":\#($0)}"# }.joined(separator: ",") + #",{"sid":"f00dfeedc0ffee1234ab"}]"#
        let m = T.of(.authToken, T.run(body, .json))
        #expect(m.map(\.value) == [token, "f00dfeedc0ffee1234ab"])
        #expect(m.map(\.occurrences) == [5, 1])
    }

    /// A keyed value seen again in the same body is replayed from a memo, not inspected
    /// again: the counts must be what inspecting each event on its own adds up to.
    @Test(arguments: [false, true]) func memoizedRepeatsCountLikeSeparateInspections(withDevice: Bool) {
        let inspector = withDevice ? PIInspector(device: LeafTriageTests.device) : T.plain
        let keyed: [(String, [String])] = [
            ("sid", ["c9af910bb08a5302d8e1", "aaaa", "f00dfeedc0ffee1234ab"]),
            ("imei", ["861234567890127", "358472091345610", "123456789012345", "86123456789012"]),
            ("android_id", ["3f9a1c7e5b2d4086", "0000000000000000", "9774d56d682e549c"]),
            ("deviceId", ["A10000497B3C2D", "861234567890135", "R58N3A1BC2D"]),
            ("serial", ["R58N3A1BC2D", "SN0001", "1234567"]),
            ("token", ["null", "eyJhbGciOiJIUzI1NiJ9", "0123456789abcdef0123"]),
        ]
        var rng = SplitMix64(seed: withDevice ? 11 : 7)
        var events = [String]()
        var lines = [String]()
        for i in 0..<120 {
            var members = [#""n":\#(i)"#]
            var fields = ["EVT \(i)"]
            for (key, values) in keyed where rng.next(0...2) != 0 {
                let value = values[rng.next(0...(values.count - 1))]
                members.append(#""\#(key)":"\#(value)""#)
                fields.append("\(key)=\(value)")
            }
            events.append("{" + members.joined(separator: ",") + "}")
            lines.append(fields.joined(separator: "|"))
        }
        func counts(_ matches: [PIMatch]) -> [String: Int] {
            matches.reduce(into: [:]) { $0["\($1.type) \($1.value) \($1.confirmed)", default: 0] += $1.occurrences }
        }
        // JSON leaves, and key=value pairs in text.
        let batch = counts(T.run("[" + events.joined(separator: ",") + "]", .json, inspector: inspector))
        var separate = [String: Int]()
        for e in events {
            for (k, n) in counts(T.run("[" + e + "]", .json, inspector: inspector)) { separate[k, default: 0] += n }
        }
        #expect(!batch.isEmpty)
        #expect(batch == separate)
        let text = counts(T.run(lines.joined(separator: "\n"), .text, inspector: inspector))
        var textSeparate = [String: Int]()
        for l in lines {
            for (k, n) in counts(T.run(l, .text, inspector: inspector)) { textSeparate[k, default: 0] += n }
        }
        #expect(!text.isEmpty)
        #expect(text == textSeparate)
    }

    /// Bare-digit numbers take the walker's fast path, strings the triage kernel: the
    /// same digits either way must give the same findings, with and without a device list.
    @Test(arguments: [false, true]) func numbersAndStringsOfDigitsAgree(withDevice: Bool) {
        // A serial and an SSID of bare digits: device variants shorter than any shaped identifier.
        let device = try! DeviceIdentifiers(entries: [
            ("imei", "861234567890127"), ("phone", "13912348876"), ("serial", "5512347"), ("wifi_ssid", "20261123"),
        ])
        let inspector = withDevice ? PIInspector(device: device) : T.plain
        var rng = SplitMix64(seed: 42)
        var values = ["13912348876", "8613912348876", "861234567890127", "1763870837511", "460011234567890",
                      "89860119123456789014", "110101199003077578", "6222021234567890123", "54789", "1391", "8612",
                      "5512347", "20261123", "55123470", "2026"]
        for _ in 0..<400 {
            let prefix = ["", "139", "86", "8612", "4600", "8986", "1"].randomElement(using: &rng)!
            values.append(prefix + String((0..<rng.next(1...20)).map { _ in "0123456789".randomElement(using: &rng)! }))
        }
        func summary(_ m: [PIMatch]) -> [String] { m.map { "\($0.type) \($0.value) \($0.confirmed) \($0.occurrences)" }.sorted() }
        var found = 0
        for v in values {
            let asNumber = summary(T.run(#"{"x":\#(v),"n":1}"#, .json, inspector: inspector))
            let asString = summary(T.run(#"{"x":"\#(v)","n":1}"#, .json, inspector: inspector))
            #expect(asNumber == asString, "\(v)")
            found += asNumber.count
        }
        #expect(found > 0)
    }

    /// The same document compact, spaced the way Python's json.dumps writes it, indented,
    /// and with doubled commas (lenient): the same findings at the same JSON paths.
    @Test func separatorsDoNotChangeWhatIsFound() {
        let compact = #"{"dev":{"imei":"861234567890127","ids":["13912348876",1763870837511,"x"]},"ev":[{"tel":"13912348876","n":1},{"mail":"zhang.san@example.com","lat":"39.916527","lng":"116.397128"}],"last":"11010519491231002X"}"#
        func summary(_ m: [PIMatch]) -> [String] {
            m.map { "\($0.type) \($0.value) \($0.field ?? "-") \($0.decoding) \($0.occurrences)" }.sorted()
        }
        let expected = summary(T.run(compact, .json))
        #expect(expected.count == 5, "\(expected)")
        var spaced = "", indented = "", doubled = ""
        var inString = false
        for ch in compact {
            if ch == "\"" { inString.toggle() }
            spaced.append(ch)
            indented.append(ch)
            doubled.append(ch)
            guard !inString else { continue }
            if ch == "," { spaced += " "; indented += "\n    "; doubled += "," }
            if ch == ":" { spaced += " "; indented += " " }
            if ch == "{" || ch == "[" { indented += "\n  " }
        }
        for variant in [spaced, indented, doubled] {
            #expect(summary(T.run(variant, .json)) == expected, "\(variant)")
        }
    }

    /// Escaped quotes and backslashes at every offset around the sixteen-byte steps of
    /// the string scan: the string ends where it should, and the next member is read.
    @Test func escapesAtEveryOffset() {
        for k in 0..<40 {
            let pad = String(repeating: "x", count: k)
            let body = #"{"note":"\#(pad)\"13912348876\" \\","imei":"861234567890127"}"#
            let m = T.run(body, .json)
            #expect(m.contains { $0.type == .phoneCN && $0.field == "$.note" }, "\(k)")
            #expect(m.contains { $0.type == .imei && $0.field == "$.imei" }, "\(k)")
        }
    }

    @Test func keyTagsSurviveSlotReuse() {
        // Hundreds of distinct keys (short, 8-byte and long) evict each other from the
        // 256 sets of the tag cache; every `password` and `pwd_long_field_name_x` still counts.
        var objects = [String]()
        for i in 0..<600 {
            let other = i % 3 == 0 ? "k\(i)" : (i % 3 == 1 ? String(format: "key%05d", i) : "a_rather_long_key_name_number_\(i)")
            objects.append(#"{"\#(other)":1,"password":"pw\#(i)x","user_password_field_name_x":"up\#(i)y"}"#)
        }
        let m = T.of(.password, T.run("[" + objects.joined(separator: ",") + "]", .json))
        #expect(m.count == 1200)
    }

    /// Keys that share a set of the tag cache, short and long, two and three to a set,
    /// looked up in turn: each gets its own tags every time (an entry that moves between
    /// the set's two ways keeps its bytes; a third key evicts, never borrows).
    @Test func keysSharingACacheSetKeepTheirOwnTags() {
        func set(_ key: String) -> Int { Array(key.utf8).withUnsafeBufferPointer { KeyTagCache.set(ofKey: $0) } }
        func sharing(_ anchor: String, _ make: (Int) -> String, count: Int) -> [String] {
            var keys = [anchor]
            var i = 0
            while keys.count <= count { let k = make(i); if set(k) == set(anchor) { keys.append(k) }; i += 1 }
            return keys
        }
        let groups = [
            ["name", "tags"],
            sharing("password", { "k\($0)" }, count: 2),
            sharing("imei", { "f\($0)" }, count: 1),
            sharing("user_password_field", { "a_long_plain_key_\($0)" }, count: 2),
            sharing("device_imei_number", { "short\($0)" }, count: 1),
        ]
        #expect(set("name") == set("tags"))
        let cache = KeyTagCache()
        defer { cache.deallocate() }
        for anchor in ["password", "imei", "user_password_field", "device_imei_number"] {
            // The anchors carry tags, so a borrowed or lost entry shows.
            #expect(!Array(anchor.utf8).withUnsafeBufferPointer { ContextWords.tags(forKey: $0) }.isEmpty, "\(anchor)")
        }
        for round in 0..<6 {
            for group in groups {
                for key in (round % 2 == 0 ? group : group.reversed()) {
                    let got = Array(key.utf8).withUnsafeBufferPointer { cache.tags(forKey: $0, readable: 0) }
                    let expected = Array(key.utf8).withUnsafeBufferPointer { ContextWords.tags(forKey: $0) }
                    #expect(got == expected, "\(key) in round \(round)")
                }
            }
        }
    }

    /// Each thread has its own tag cache, warmed by every inspection on it: inspections
    /// on several threads at once, with keys that share cache sets, find what one finds alone.
    @Test func inspectionsOnManyThreadsAgree() {
        var objects = [String]()
        for i in 0..<300 {
            objects.append(#"{"name":"n\#(i)","tags":["a"],"password":"pw\#(i % 7)x","k\#(i)":1,"imei":"861234567890127"}"#)
        }
        let body = "[" + objects.joined(separator: ",") + "]"
        @Sendable func summary() -> [String] { T.run(body, .json).map { "\($0.type) \($0.value) \($0.occurrences)" }.sorted() }
        let expected = summary()
        #expect(expected.count == 8, "\(expected)")
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var byRun = [Int: [String]]()
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 16) { k in
            let got = summary()
            results.lock.withLock { results.byRun[k] = got }
        }
        #expect(results.byRun.count == 16)
        for (k, got) in results.byRun { #expect(got == expected, "thread run \(k)") }
    }

    @Test func packageNamesInObjectsBelowAnArray() {
        let names = ["com.tencent.mm", "com.eg.android.AlipayGphone", "com.ss.android.ugc.aweme", "com.sina.weibo", "com.taobao.taobao"]
        let body = #"{"apps":["# + names.map { #"{"pkg":"\#($0)","v":1}"# }.joined(separator: ",") + "]}"
        let m = T.of(.appList, T.run(body, .json))
        #expect(m.count == 1)
        #expect(m.first?.decoding == ["json:$.apps"])
    }
}
