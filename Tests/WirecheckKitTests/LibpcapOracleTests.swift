import CPcap
import Capture
import Foundation
import Testing

/// libpcap as an oracle: for every capture it can read, our reader must see
/// the same packets with the same lengths and timestamps.
@Suite struct LibpcapOracleTests {
    static var captures: [String] {
        let root = repositoryRoot.appendingPathComponent("captures")
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var paths: [String] = []
        while let item = enumerator?.nextObject() as? String {
            if item.hasSuffix(".pcap") || item.hasSuffix(".pcapng") { paths.append(root.appendingPathComponent(item).path) }
        }
        return paths.sorted()
    }

    struct Seen: Equatable {
        var timestampMicros: Int64
        var captured: Int
        var original: Int
        var linkType: String
    }

    @Test func oracleAgreesOnEveryReadableCapture() throws {
        var compared = 0
        for path in Self.captures {
            var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
            guard let handle = pcap_open_offline(path, &errorBuffer) else { continue } // e.g. mixed link types
            defer { pcap_close(handle) }
            // libpcap reports DLT_ values (12 for raw IP on Linux); compare by name.
            let linkType = LinkType(rawValue: UInt32(pcap_datalink(handle))).name
            var theirs: [Seen] = []
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            while pcap_next_ex(handle, &header, &data) == 1, let header {
                let micros = Int64(header.pointee.ts.tv_sec) * 1_000_000 + Int64(header.pointee.ts.tv_usec)
                theirs.append(Seen(timestampMicros: micros, captured: Int(header.pointee.caplen), original: Int(header.pointee.len), linkType: linkType))
            }
            let reader = try CaptureFileReader(path: path)
            var collector = RecordCollector()
            _ = reader.read(into: &collector)
            let ours = collector.records.map { record in
                Seen(timestampMicros: record.timestampNanos / 1000, captured: record.capturedLength,
                     original: record.originalLength, linkType: record.linkType.name)
            }
            // libpcap stops at the first corrupt record; we resynchronise, so compare its prefix.
            #expect(Array(ours.prefix(theirs.count)) == theirs, "\(path)")
            compared += 1
        }
        #expect(compared >= 45)
    }

    @Test func libpcapRefusesTheMergedFileThatWeRead() throws {
        let path = capturePath("transport/merged-linktypes.pcapng")
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let handle = pcap_open_offline(path, &errorBuffer)
        var theirs = 0
        if let handle {
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            while pcap_next_ex(handle, &header, &data) == 1 { theirs += 1 }
            pcap_close(handle)
        }
        var collector = RecordCollector()
        let summary = try CaptureFileReader(path: path).read(into: &collector)
        #expect(summary.packets == 45)
        #expect(summary.linkTypes.map(\.name) == ["EN10MB", "RAW"])
        #expect(theirs < summary.packets, "libpcap read the whole merged file; the reason for our own reader is gone")
    }

    @Test func decryptionSecretsArriveInBandAtTheirPlace() throws {
        // editcap --inject-secrets put the QUIC session's key log before the packets.
        let path = capturePath("tls-everywhere/quic-v1-h3-keys.pcapng")
        var collector = RecordCollector()
        let summary = try CaptureFileReader(path: path).read(into: &collector)
        #expect(summary.decryptionSecretsBlocks == 1)
        let secrets = try #require(collector.secrets.first)
        #expect(secrets.type == 0x544C_534B)
        #expect(secrets.afterPacket == 0)
        #expect(String(decoding: secrets.data, as: UTF8.self).contains("CLIENT_HANDSHAKE_TRAFFIC_SECRET"))
        #expect(collector.records.count == summary.packets)
        let report = try inspect([path], failOn: nil)
        #expect(report.inputs.first?.decryptionSecrets == 1)
    }
}
