import Foundation
import Testing
import ReportModel
import ReportWriters
import Rules
import WirecheckKit

/// Bad input gets a clear error naming the file and packet, and the rest is
/// analysed: never a crash, never silence. The inputs are real captures,
/// damaged on purpose.
@Suite struct BadInputTests {
    static func temporaryCopy(of relative: String, _ damage: (inout [UInt8]) -> Void) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: capturePath(relative))))
        damage(&bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-bad-\(getpid())-\(UUID().uuidString).pcap")
        try Data(bytes).write(to: url)
        return url
    }

    /// Offset of the n-th (1-based) classic-pcap record's data.
    static func recordData(_ bytes: [UInt8], _ number: Int) -> (offset: Int, length: Int) {
        var offset = 24
        for index in 1...number {
            let length = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16 | Int(bytes[offset + 11]) << 24
            if index == number { return (offset + 16, length) }
            offset += 16 + length
        }
        return (offset, 0)
    }

    @Test func unknownLinkTypeIsNamedAndSkipped() throws {
        let url = try Self.temporaryCopy(of: "openssl/tls12-rsa1024.pcap") { bytes in
            bytes[20] = 147 // LINKTYPE_USER0
            bytes[21] = 0
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try inspect([url.path, capturePath("openssl/tls12-rsa1024.pcap")], failOn: nil)
        let damaged = report.inputs[0]
        #expect(damaged.errors.contains { $0.message.contains("unsupported link type 147") })
        #expect(damaged.packets == 17)
        #expect(report.statistics.unsupportedLinkPackets == 17)
        // The second, intact input is still analysed.
        #expect(report.findings.contains { $0.rule == .certificateWeakKey && $0.fileIndex == 1 })
    }

    @Test func garbageInsideAClientHelloIsAMalformedHandshake() throws {
        let url = try Self.temporaryCopy(of: "openssl/tls12-rsa1024.pcap") { bytes in
            let (data, length) = Self.recordData(bytes, 4)
            let payload = Array(bytes[data..<(data + length)])
            guard let record = (0..<(payload.count - 3)).first(where: { payload[$0] == 0x16 && payload[$0 + 1] == 0x03 && payload[$0 + 5] == 0x01 }) else { return }
            // record header (5) + handshake header (4) + version (2) + random (32) → session id length
            let sessionIDLength = Int(payload[record + 43])
            let suitesLength = data + record + 44 + sessionIDLength
            bytes[suitesLength] = 0xFF
            bytes[suitesLength + 1] = 0xFF
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try inspect([url.path], failOn: nil)
        let malformed = try #require(report.findings.first { $0.rule == .tlsMalformedHandshake })
        #expect(malformed.packets == [4])
        #expect(malformed.message.contains("ClientHello"))
    }

    @Test func plaintextSeenFromMidStreamIsStillInspected() throws {
        // The real form POST without its TCP handshake: the capture starts
        // with the request's first data segment.
        let url = try Self.temporaryCopy(of: "pii/http-form-pinyin.pcap") { bytes in
            let (thirdData, thirdLength) = Self.recordData(bytes, 3)
            bytes.removeSubrange(24..<(thirdData + thirdLength))
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try inspect([capturePath("pii/http-form-pinyin.pcap")], failOn: nil)
        let cut = try inspect([url.path], failOn: nil)
        #expect(cut.flows.first?.startedMidStream == true)
        let types = { (report: Report) in Set(report.findings.compactMap { $0.pii?.type }) }
        #expect(!types(whole).isEmpty)
        #expect(types(cut) == types(whole))
    }

    @Test func aReusedPortPairStartsANewConnection() throws {
        // The same real connection twice, ten seconds apart, with the same
        // addresses and ports (what TIME_WAIT reuse looks like): two flows.
        let url = try Self.temporaryCopy(of: "openssl/tls12-rsa1024.pcap") { bytes in
            var again = Array(bytes[24...])
            var offset = 0
            while offset + 16 <= again.count {
                let seconds = UInt32(again[offset]) | UInt32(again[offset + 1]) << 8 | UInt32(again[offset + 2]) << 16 | UInt32(again[offset + 3]) << 24
                let shifted = seconds + 10
                for index in 0..<4 { again[offset + index] = UInt8(truncatingIfNeeded: shifted >> (8 * UInt32(index))) }
                let length = Int(again[offset + 8]) | Int(again[offset + 9]) << 8 | Int(again[offset + 10]) << 16 | Int(again[offset + 11]) << 24
                offset += 16 + length
            }
            bytes += again
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try inspect([url.path], failOn: nil)
        #expect(report.flows.count == 2)
        #expect(report.handshakes.map(\.clientHelloPacket) == [4, 21])
        #expect(report.flows.allSatisfy { $0.reassembly.gaps == 0 && !$0.startedMidStream })
    }

    @Test func damagedCapturesNeverCrashTheEngine() throws {
        // Truncations and flipped bytes across every kind of capture; the run
        // must finish and account for every input.
        let sources = ["openssl/tls13-hrr.pcap", "openssl/mtls12.pcap", "legacy-tlcp/tlcp-ecdhe-sm4-cbc-sm3.pcap",
                       "transport/segmented-reordered.pcap", "transport/tls12.pcapng", "transport/ipv6-fragments.pcap",
                       "pii/http-chunked-split.pcap", "pii/websocket-telemetry.pcap", "pii/dns-exfil.pcap"]
        var generator = SystemRandomNumberGenerator()
        var paths: [String] = []
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        for source in sources {
            for round in 0..<12 {
                let url = try Self.temporaryCopy(of: source) { bytes in
                    if round % 3 == 0 {
                        bytes.removeLast(Int.random(in: 1..<max(2, bytes.count - 24), using: &generator))
                    } else {
                        for _ in 0..<(1 + round * 4) {
                            let index = Int.random(in: 24..<bytes.count, using: &generator)
                            bytes[index] = UInt8.random(in: 0...255, using: &generator)
                        }
                    }
                }
                paths.append(url.path)
            }
        }
        let report = try inspect(paths, failOn: nil)
        #expect(report.inputs.count == paths.count)
        let allReadable = report.inputs.allSatisfy { $0.readable }
        #expect(allReadable)
    }
}
