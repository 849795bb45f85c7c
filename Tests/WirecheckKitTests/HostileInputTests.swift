import Foundation
import Testing
import Facts
@testable import PacketDecoding
import ReportModel
import Rules
import WirecheckKit
import WireBytes

/// Hostile shapes, small enough to build in a test: every cap bounds its
/// structure and is counted in the report; nothing it skipped is silent.
/// The full-size shapes and their time and memory are bench/hostile.
@Suite struct FragmentReassemblyTests {
    static let key = FragmentKey(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002), identification: 7, transport: 17)

    /// Adds `bytes[offset..<offset+length]` as one piece.
    static func add(_ reassembler: inout FragmentReassembler, _ bytes: [UInt8], offset: Int, length: Int, more: Bool,
                    key: FragmentKey = key, at time: Int64 = 0) -> [UInt8]? {
        let piece = FragmentPiece(key: key, offset: offset, moreFragments: more, payloadOffset: offset, payloadLength: length)
        return bytes.withUnsafeBytes { raw in
            reassembler.add(piece, bytes: RawSpan(_unsafeBytes: raw), packet: 1, timeNanos: time)?.payload
        }
    }

    @Test func thousandsOfShuffledPiecesComeBackWhole() {
        let datagram = (0..<65_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var offsets = Array(stride(from: 0, to: datagram.count, by: 8))
        var generator = SplitMix(seed: 42)
        offsets.shuffle(using: &generator)
        // The last piece first, one held back to the very end.
        let last = offsets.count - 1
        offsets.removeAll { $0 == last * 8 }
        let held = offsets.removeLast()
        var reassembler = FragmentReassembler()
        #expect(Self.add(&reassembler, datagram, offset: last * 8, length: datagram.count - last * 8, more: false) == nil)
        for offset in offsets { #expect(Self.add(&reassembler, datagram, offset: offset, length: 8, more: true) == nil) }
        #expect(Self.add(&reassembler, datagram, offset: held, length: 8, more: true) == datagram)
        #expect(reassembler.datagramsReassembled == 1 && reassembler.datagramsDropped == 0 && reassembler.incompleteDatagrams == 0)
    }

    @Test func theFirstCopyOfAnOverlappedByteWins() {
        let first = Array("AAAAAAAABBBBBBBBCCCC".utf8), other = Array("XXXXXXXXYYYYYYYYZZZZ".utf8)
        var reassembler = FragmentReassembler()
        #expect(Self.add(&reassembler, first, offset: 8, length: 8, more: true) == nil)
        #expect(Self.add(&reassembler, other, offset: 0, length: 16, more: true) == nil)
        #expect(Self.add(&reassembler, other, offset: 16, length: 4, more: false) == Array("XXXXXXXXBBBBBBBBZZZZ".utf8))
    }

    @Test func pendingDatagramsAreCappedOldestFirstAndExpireInOrder() {
        var reassembler = FragmentReassembler()
        reassembler.maximumPending = 4
        let bytes = [UInt8](repeating: 1, count: 32)
        for id in 0..<6 {
            var key = Self.key
            key.identification = UInt32(id)
            _ = Self.add(&reassembler, bytes, offset: 0, length: 8, more: true, key: key, at: Int64(id) * 1_000_000_000)
        }
        #expect(reassembler.dropped(.tooManyPending) == 2)
        #expect(reassembler.incompleteDatagrams == 4)
        // Datagram 0 was the oldest: its last piece now starts a new, incomplete datagram instead of
        // completing it, and pushes out the oldest still pending (2).
        var oldest = Self.key
        oldest.identification = 0
        #expect(Self.add(&reassembler, bytes, offset: 8, length: 8, more: false, key: oldest, at: 6_000_000_000) == nil)
        #expect(reassembler.dropped(.tooManyPending) == 3)
        // 30 s after datagrams 3..5 began, they expire; the one begun at 6 s does not.
        reassembler.expire(now: 35_500_000_000)
        #expect(reassembler.dropped(.timeout) == 3)
        #expect(reassembler.incompleteDatagrams == 1)
        reassembler.dropAllPending()
        #expect(reassembler.dropped(.incompleteAtEnd) == 1)
        #expect(reassembler.datagramsDropped == 7)
    }

    @Test func overlapFloodsAndOversizePiecesAreDropped() {
        var reassembler = FragmentReassembler()
        let bytes = [UInt8](repeating: 2, count: 60_000)
        for _ in 0..<9 { _ = Self.add(&reassembler, bytes, offset: 0, length: 60_000, more: true) }
        #expect(reassembler.dropped(.overlapFlood) == 1)
        var far = Self.key
        far.identification = 99
        let tail = [UInt8](repeating: 3, count: 70_000)
        #expect(Self.add(&reassembler, tail, offset: 65_000, length: 1_000, more: false, key: far) == nil)
        #expect(reassembler.dropped(.oversize) == 1)
    }
}

/// A deterministic generator for shuffles.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct HostileInputTests {
    static func limits(_ report: Report) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: report.limits.filter(\.wasHit).map { ($0.name, $0.count) })
    }

    @Test func fragmentDropsAreExactAcrossInputsAndNamedInTheSummary() throws {
        var files: [URL] = []
        for file in 0..<2 {
            var capture = SyntheticCapture()
            // Fifty datagrams whose middle piece never arrives.
            for id in 0..<50 {
                let payload = SyntheticCapture.udp(sourcePort: 4000, destinationPort: 9999, payload: [UInt8](repeating: 0x41, count: 40))
                capture.frame(SyntheticCapture.ipv4(source: "10.1.0.\(file + 1)", destination: "10.2.0.1", protocol: 17, id: id, moreFragments: true,
                                                    payload: Array(payload[0..<16])))
                capture.frame(SyntheticCapture.ipv4(source: "10.1.0.\(file + 1)", destination: "10.2.0.1", protocol: 17, id: id, fragmentOffset: 24,
                                                    payload: Array(payload[24...])))
            }
            files.append(try capture.write(named: "fragments-\(file)"))
        }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        let report = try inspect(files.map(\.path), failOn: nil)
        #expect(report.statistics.fragmentsDropped == 100)
        #expect(Self.limits(report)["fragment_incomplete_at_end"] == 100)
        let text = render(report, as: "text")
        #expect(text.contains("fragment_incomplete_at_end: 100 datagrams"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(render(report, as: "json").utf8)) as? [String: Any])
        let limits = try #require((json["summary"] as? [String: Any])?["limits"] as? [String: [String: Any]])
        #expect(limits["fragment_incomplete_at_end"]?["count"] as? Int == 100)
        #expect(limits.count == Limit.allCases.count, "every cap is listed, hit or not")
    }

    @Test func aSYNFloodIsEvictedByAgeAndSummarisedInTheReport() throws {
        var capture = SyntheticCapture()
        for index in 0..<5_000 {
            capture.frame(SyntheticCapture.ipv4(source: "10.0.\(index / 250).\(index % 250 + 1)", destination: "203.0.113.10", protocol: 6, id: index,
                                                payload: SyntheticCapture.tcp(sourcePort: 40_000 + index % 20_000, destinationPort: 443,
                                                                              sequence: 1, acknowledgement: 0, flags: 0x02)))
        }
        // A real exchange after the flood is still listed in the report.
        capture.tcpConnection(client: "10.9.0.1", clientPort: 50_000, server: "10.9.0.2", serverPort: 80,
                              request: Array("GET /x HTTP/1.1\r\nHost: example.test\r\n\r\n".utf8))
        let file = try capture.write(named: "syn-flood")
        defer { try? FileManager.default.removeItem(at: file) }
        var policy = try defaultPolicy()
        policy.limits.openFlows = 1_000
        var pipeline = Pipeline(policy: policy, failOn: nil)
        let report = pipeline.run(inputs: [file.path], generatedAt: "2000-01-01T00:00:00Z")
        #expect(report.statistics.flowsEvicted > 0)
        #expect(report.statistics.flowsExpired == 0, "evicted flows are not counted as expired")
        #expect(Self.limits(report)["open_flows"] == report.statistics.flowsEvicted)
        // 5,001 flows: the one with payload and the first thousand without are listed, the rest counted.
        #expect(report.flows.count == 1_001)
        #expect(report.flowsOmitted == 4_000)
        #expect(report.flows.contains { $0.serverName == "example.test" })
        #expect(Self.limits(report)["report_flows"] == 4_000)
        pipeline.maximumFlowsInReport = 10
        let capped = pipeline.run(inputs: [file.path], generatedAt: "2000-01-01T00:00:00Z")
        #expect(capped.flows.count == 10 && capped.flowsOmitted == 4_991)
        #expect(capped.flows.contains { $0.serverName == "example.test" }, "a flow with payload displaces one without")
    }

    @Test func idleFlowsExpireByTheirTimeoutClass() throws {
        var capture = SyntheticCapture()
        for index in 0..<20 {
            capture.frame(SyntheticCapture.ipv4(source: "10.3.0.\(index + 1)", destination: "10.4.0.1", protocol: 17, id: index,
                                                payload: SyntheticCapture.udp(sourcePort: 5000, destinationPort: 5353, payload: [1, 2, 3])))
        }
        capture.wait(microseconds: 121_000_000)
        // A packet two minutes later drives the idle clock past the UDP timeout.
        capture.frame(SyntheticCapture.ipv4(source: "10.5.0.1", destination: "10.4.0.1", protocol: 17, id: 99,
                                            payload: SyntheticCapture.udp(sourcePort: 5000, destinationPort: 5353, payload: [1])))
        for _ in 0..<4_096 {
            capture.frame(SyntheticCapture.ipv4(source: "10.5.0.1", destination: "10.4.0.1", protocol: 17, id: 99,
                                                payload: SyntheticCapture.udp(sourcePort: 5000, destinationPort: 5353, payload: [1])))
        }
        let file = try capture.write(named: "udp-idle")
        defer { try? FileManager.default.removeItem(at: file) }
        let report = try inspect([file.path], failOn: nil)
        #expect(report.statistics.flowsExpired == 20)
        #expect(report.statistics.flowsEvicted == 0)
        #expect(report.flows.count == 21)
    }

    @Test func aBodyOfManyDistinctNumbersIsOneFindingPerExampleAndOneForTheRest() throws {
        let numbers = (0..<300).map { "\"1380013\($0 + 1000)\"" }
        let body = "{\"contacts\": [" + numbers.joined(separator: ", ") + "]}"
        let request = "POST /v2/contacts/upload HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        var capture = SyntheticCapture()
        capture.tcpConnection(client: "10.9.0.1", clientPort: 50_000, server: "10.9.0.2", serverPort: 80, request: Array(request.utf8))
        let file = try capture.write(named: "distinct-phones")
        defer { try? FileManager.default.removeItem(at: file) }
        let report = try inspect([file.path], failOn: nil)
        let phones = report.findings.filter { $0.pii?.type == "phone_cn" }
        #expect(phones.count == 17)
        let aggregated = try #require(phones.first { $0.evidence.contains { $0.name == "aggregated" } })
        #expect(aggregated.evidence.first { $0.name == "distinct_values" }?.value == "284")
        #expect(aggregated.message.hasPrefix("284 more distinct mobile phone number values"))
        #expect(Self.limits(report)["finding_examples"] == 284)
        #expect(!render(report, as: "json").contains("13800131100"))
    }

    @Test func aPolicyCanSetTheCapsAndEveryHitIsCounted() throws {
        let policy = try PolicyLoader.load(Array("name: tight\nlimits:\n  http_body_bytes: 1024\n  http_header_fields: 8\n".utf8), file: "tight.yaml")
        #expect(policy.limits.httpBodyBytes == 1024 && policy.limits.httpHeaderFields == 8)
        let fields = (0..<12).map { "X-F\($0): v\r\n" }.joined()
        let body = "{\"note\": \"" + String(repeating: "a", count: 5_000) + "\", \"mobile\": \"13912340001\"}"
        let request = "POST /up HTTP/1.1\r\nHost: api.example.test\r\n\(fields)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        var capture = SyntheticCapture()
        capture.tcpConnection(client: "10.9.0.1", clientPort: 50_000, server: "10.9.0.2", serverPort: 80, request: Array(request.utf8))
        let file = try capture.write(named: "tight-caps")
        defer { try? FileManager.default.removeItem(at: file) }
        let report = Pipeline(policy: policy, failOn: nil).run(inputs: [file.path], generatedAt: "2000-01-01T00:00:00Z")
        let hit = Dictionary(uniqueKeysWithValues: report.limits.filter(\.wasHit).map { ($0.name, $0) })
        #expect(hit["http_body_bytes"]?.count == 1)
        #expect(hit["http_body_bytes"]?.skippedBytes == body.utf8.count - 1024)
        #expect(hit["http_header_fields"]?.count == 1)
        // The number past the body cap is not seen; the same file under the built-in policy finds it.
        #expect(!report.findings.contains { $0.pii?.masked == "139****0001" })
        #expect(try inspect([file.path], failOn: nil).findings.contains { $0.pii?.masked == "139****0001" })
        #expect(render(report, as: "text").contains("http_body_bytes: 1 messages, \(body.utf8.count - 1024) bytes skipped"))
        #expect(throws: PolicyError.self) { try PolicyLoader.load(Array("name: x\nlimits:\n  http_body: 3\n".utf8), file: "typo.yaml") }
    }
}
