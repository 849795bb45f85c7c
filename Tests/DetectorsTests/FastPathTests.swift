import Testing
@testable import Detectors

/// The per-leaf shortcuts (inert values skipped, quiet JSON keys not rescanned)
/// must not hide anything the full scan finds.
@Suite struct FastPathTests {
    @Test func inertRules() {
        let dl = false
        let t = Inspection.inertTable
        #expect(Inspection.isInert(T.bytes("1.2.3"), deviceList: dl, table: t))
        #expect(Inspection.isInert(T.bytes("1700000000"), deviceList: dl, table: t))
        #expect(Inspection.isInert(T.bytes("app launched ok"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("pwd=abc1"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("a@b.cn"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("%7B%7D"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("{\"a\":1}"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("17000000000"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("Pixel 7 Pro Max"), deviceList: dl, table: t))
        #expect(!Inspection.isInert(T.bytes("1.2.3.4"), deviceList: true, table: t))
        #expect(Inspection.isInert(T.bytes("1.2"), deviceList: true, table: t))
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
