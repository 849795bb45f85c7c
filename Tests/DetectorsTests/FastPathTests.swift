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
