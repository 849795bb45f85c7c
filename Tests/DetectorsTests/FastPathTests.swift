import Testing
@testable import Detectors

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
