import Foundation
import Testing
@testable import Flows

/// Edge cases of one direction's reassembly, on hand-built segments (the
/// captures under captures/transport exercise the same code on real traffic).
@Suite struct TCPStreamReassemblerTests {
    struct Harness {
        var reassembler = TCPStreamReassembler(maximumPendingBytes: 1 << 20)
        var held = 0
        var delivered: [UInt8] = []
        var gaps: [Int] = []

        mutating func send(_ sequence: UInt32, _ text: String, syn: Bool = false) {
            let bytes = Array(text.utf8)
            var output = delivered
            var gapList = gaps
            bytes.withUnsafeBytes { raw in
                reassembler.segment(sequence: sequence, syn: syn, fin: false, payload: RawSpan(_unsafeBytes: raw), packet: 1,
                                    globalHeldBytes: &held, globalHeldLimit: 64 << 20,
                                    onData: { span, _ in span.withUnsafeBytes { output.append(contentsOf: $0) } },
                                    onGap: { gapList.append($0) })
            }
            delivered = output
            gaps = gapList
        }

        mutating func flush() {
            var output = delivered
            var gapList = gaps
            reassembler.flush(globalHeldBytes: &held, onData: { span, _ in span.withUnsafeBytes { output.append(contentsOf: $0) } },
                              onGap: { gapList.append($0) })
            delivered = output
            gaps = gapList
        }

        var text: String { String(decoding: delivered, as: UTF8.self) }
    }

    @Test func outOfOrderSegmentsAreDeliveredInOrder() {
        var harness = Harness()
        harness.send(999, "", syn: true)
        harness.send(1006, "world")
        harness.send(1000, "hello ")
        #expect(harness.text == "hello world")
        #expect(harness.reassembler.statistics.outOfOrderSegments == 1)
        #expect(harness.held == 0)
    }

    @Test func sequenceNumbersWrapAround() {
        var harness = Harness()
        harness.send(UInt32.max - 2, "", syn: true)   // data starts at 0xFFFFFFFE
        harness.send(UInt32.max - 1, "ab")
        harness.send(0, "cd")
        #expect(harness.text == "abcd")
    }

    @Test func retransmissionWithDifferentBytesIsAConflictAndTheFirstCopyWins() {
        var harness = Harness()
        harness.send(0, "", syn: true)
        harness.send(1, "GET /a")
        harness.send(1, "GET /b")
        #expect(harness.text == "GET /a")
        #expect(harness.reassembler.statistics.conflictingOverlaps == 1)
        #expect(harness.reassembler.statistics.retransmittedBytes == 6)
    }

    @Test func aSegmentSpanningHeldSegmentsKeepsEveryFirstCopy() {
        // Held [10,20)='A' and [30,40)='B'; then [5,45)='X'; then [0,5) fills the hole.
        var harness = Harness()
        harness.send(UInt32.max, "", syn: true)
        harness.send(10, String(repeating: "A", count: 10))
        harness.send(30, String(repeating: "B", count: 10))
        harness.send(5, String(repeating: "X", count: 40))
        harness.send(0, String(repeating: "0", count: 5))
        #expect(harness.text == "00000XXXXX" + String(repeating: "A", count: 10) + String(repeating: "X", count: 10)
                + String(repeating: "B", count: 10) + "XXXXX")
        #expect(harness.reassembler.statistics.conflictingOverlaps == 2)
        #expect(harness.reassembler.statistics.retransmittedBytes == 20)
        #expect(harness.held == 0)
    }

    @Test func aMidStreamStartTellsTheConsumerAndAHoleBecomesAGapOnFlush() {
        var harness = Harness()
        harness.send(5000, "tail of something ")
        #expect(harness.gaps == [0])
        #expect(harness.reassembler.startedMidStream)
        harness.send(5028, "after a hole")
        harness.flush()
        #expect(harness.gaps == [0, 10])
        #expect(harness.text == "tail of something after a hole")
    }

    @Test func aCoalescedRetransmissionIsComparedWithEverySegmentItCovers() {
        var same = Harness()
        same.send(0, "", syn: true)
        same.send(1, "first segment ")
        same.send(15, "second segment")
        same.send(1, "first segment second segment")
        #expect(same.reassembler.statistics.conflictingOverlaps == 0)
        #expect(same.reassembler.statistics.retransmittedBytes == 28)

        var changed = Harness()
        changed.send(0, "", syn: true)
        changed.send(1, "first segment ")
        changed.send(15, "second segment")
        changed.send(1, "first segment second segmenT")
        #expect(changed.reassembler.statistics.conflictingOverlaps == 1)
        #expect(changed.text == "first segment second segment")
    }

    @Test func aRetransmissionThatCutsASegmentIsCountedAsUncompared() {
        var harness = Harness()
        harness.send(0, "", syn: true)
        harness.send(1, "0123456789")
        harness.send(6, "56789")        // the second half of the delivered segment, retransmitted alone
        #expect(harness.reassembler.statistics.conflictingOverlaps == 0)
        #expect(harness.reassembler.statistics.uncomparedOverlapBytes == 5)
        harness.send(1, "0123456789abc")  // covers the segment whole, then new bytes
        #expect(harness.text == "0123456789abc")
        #expect(harness.reassembler.statistics.conflictingOverlaps == 0)
    }

    @Test func onlyTheRecentSegmentsAreRemembered() {
        var harness = Harness()
        harness.send(0, "", syn: true)
        var sequence: UInt32 = 1
        for index in 0..<(DeliveredSegments.capacity + 10) {
            let text = String(format: "%04d", index)
            harness.send(sequence, text)
            sequence += 4
        }
        // The oldest segments were forgotten: a changed copy of the first one cannot be judged.
        harness.send(1, "XXXX")
        #expect(harness.reassembler.statistics.conflictingOverlaps == 0)
        // A recent one still can.
        harness.send(sequence - 4, "XXXX")
        #expect(harness.reassembler.statistics.conflictingOverlaps == 1)
    }
}
