import Facts
import Testing
@testable import Detectors
import TestSupport

/// The per-leaf shortcuts (inert values skipped, quiet JSON keys not rescanned)
/// must not hide anything the full scan finds.
@Suite struct FastPathTests {
    @Test func inertRules() {
        let dl: Int? = nil
        let t = Inspection.inertTable
        #expect(Inspection.isInert(T.bytes("1.2.3"), shortestDeviceVariant: dl, table: t))
        #expect(Inspection.isInert(T.bytes("1700000000"), shortestDeviceVariant: dl, table: t))
        #expect(Inspection.isInert(T.bytes("app launched ok"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("pwd=abc1"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("a@b.cn"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("%7B%7D"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("{\"a\":1}"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("17000000000"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("Pixel 7 Pro Max"), shortestDeviceVariant: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("1.2.3.4"), shortestDeviceVariant: 4, table: t))
        #expect(Inspection.isInert(T.bytes("1.2"), shortestDeviceVariant: 4, table: t))
        // A device list whose shortest variant has seven bytes: only values it fits in are scanned.
        #expect(Inspection.isInert(T.bytes("1.2.3."), shortestDeviceVariant: 7, table: t))
        #expect(!Inspection.isInert(T.bytes("1.2.3.4"), shortestDeviceVariant: 7, table: t))
    }

    /// The walker counts a short plain word without `leaf`; as a named field the same
    /// value takes the full leaf inspection. Both must find the same, as members and as
    /// array elements, under keys with and without a meaning of their own, with and
    /// without a device list (whose short variants the shortcut must not miss).
    @Test(arguments: [false, true]) func plainWordsAsMembersAndAsElements(withDevice: Bool) throws {
        let device = try DeviceIdentifiers(entries: [("serial", "R58N3A1"), ("wifi_ssid", "lab-5G"), ("imei", "861234567890127")])
        let inspector = withDevice ? PIInspector(device: device) : T.plain
        var rng = SplitMix64(seed: withDevice ? 5 : 3)
        var values = ["R58N3A1", "r58n3a1", "lab-5G", "hunter2", "home", "4g", "ad_show", "-", "_x_", "A-1"]
        let alphabet = Array("abcXYZ0189_-.+@% ")
        for _ in 0..<300 { values.append(String((0..<rng.next(1...12)).map { _ in alphabet.randomElement(using: &rng)! })) }
        func summary(_ m: [PIMatch]) -> [String] { m.map { "\($0.type) \($0.value) \($0.confirmed) \($0.occurrences)" }.sorted() }
        var found = 0
        for key in ["note", "password", "sn", "ssid", "pwd"] {
            for v in values {
                let field = summary(T.run(v, .multipartField(name: key), inspector: inspector))
                let member = summary(T.run(#"{"\#(key)":"\#(v)","n":1}"#, .json, inspector: inspector))
                let element = summary(T.run(#"{"\#(key)":["\#(v)"],"n":1}"#, .json, inspector: inspector))
                #expect(member == field, "\(key): \(v)")
                #expect(element == field, "\(key): \(v)")
                found += field.count
            }
        }
        #expect(found > 100)
    }

    /// The text scan skips the short words between quiet bytes of each 64-byte window
    /// (`worthAVisit`). With the skip and without it, the same findings: on generated
    /// text mixing prose with PI, device values, `key=value` pairs, escapes, UUIDs,
    /// base64, emails and non-ASCII, at every offset against the windows.
    @Test(arguments: [false, true]) func quietWordSkipFindsWhatTheFullScanFinds(withDevice: Bool) throws {
        let device = try DeviceIdentifiers(entries: [
            ("imei", "861234567890127"), ("phone", "13912348876"), ("serial", "R58N3A1"), ("wifi_ssid", "lab 5G"),
            ("mac", "a4:50:46:1c:7e:92"), ("home_lat", "22.543096"),
        ])
        var noSkip = InspectionLimits()
        noSkip.skipsQuietTextWindows = false
        let skipping = PIInspector(device: withDevice ? device : nil)
        let full = PIInspector(device: withDevice ? device : nil, limits: noSkip)
        var rng = SplitMix64(seed: withDevice ? 64 : 46)
        let pieces = ["phone", "free", "tips", "camera", "new", "flash", "smart", "earbuds", "a", "to", "1080", "v2.1",
                      "861234567890127", "13912348876", "R58N3A1", "r58n3a1", "lab 5G", "a4:50:46:1c:7e:92", "22.543096",
                      "imei=861234567890127", "tel:13912348876", "pwd=hunter2", "sn=R58N3A1", "uid=\"12345\"",
                      "c919a01c-b4c3-4464-afa0-8b1b9613b8ec", "MTM5MTIzNDg4NzY=", "zhang.san@example.cn", "%31%33",
                      "110101199003077578", "6222021234567890123", "服务器", "a_b", "x-y", "1763879977200", "cost=721ms",
                      "\\u0031", "'q'", "+8613912348876", "[video]", "INFO", "req=", "-", "_", "/", "\n"]
        var found = 0
        for _ in 0..<600 {
            var text = String(repeating: " ", count: rng.next(0...63))
            for _ in 0..<rng.next(8...60) {
                text += pieces.randomElement(using: &rng)!
                text += [" ", " ", " ", ", ", ". ", "|", "\n"].randomElement(using: &rng)!
            }
            let expected = summary(T.run(text, .text, inspector: full))
            #expect(summary(T.run(text, .text, inspector: skipping)) == expected, "\(text)")
            found += expected.count
        }
        #expect(found > 1000)
    }

    func summary(_ m: [PIMatch]) -> [String] {
        m.map { "\($0.type) \($0.value) \($0.decoding) \($0.confirmed) \($0.occurrences)" }.sorted()
    }

    @Test func shortValuesWithKeysInside() {
        // Under a key with no context of its own, a short `key=value` string still reaches the keyed detectors.
        let m = T.of(.password, T.run(#"{"note":"pwd=abc1"}"#, .json))
        #expect(m.count == 1)
    }

    @Test func repeatedKeysKeepCounting() {
        // A long key scanned to no effect is skipped next time; its values are not.
        let body = #"[{"installation_time":1,"mobile":"15312342212"},{"installation_time":2,"mobile":"15312342212"}]"#
        let m = T.of(.phoneCN, T.run(body, .json))
        #expect(m.count == 1)
        #expect(m.first?.occurrences == 2)
    }

    @Test func keysThatFindSomethingAreRescanned() {
        let body = #"[{"x_15312342212":1},{"x_15312342212":2}]"#
        let m = T.of(.phoneCN, T.run(body, .json))
        #expect(m.count == 1)
        #expect(m.first?.occurrences == 2)
    }
}
