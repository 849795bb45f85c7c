#if canImport(Glibc)
import Glibc
#endif
import Analyzers
import Capture
import Detectors
import Facts
import Foundation
import Flows
import PacketDecoding
import Rules
import WireBytes
import WirecheckKit

/// Swallows events: a harness looks for crashes, hangs and sanitizer reports, not facts.
final class DiscardingSink: FactSink {
    func receive(_ event: FactEvent) {}
}

let builtInPolicy = try? PolicyLoader.builtIn()

/// The PI scanner's tables are built once, not for every input.
let sharedInspection = PlaintextInspection(inspector: PIInspector())

/// One fuzz target: a name (the corpus folder) and what one input does.
struct Harness: Sendable {
    let name: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void
}

/// Stream inputs are chunks, each a header byte and up to 64 bytes: bit 7 of
/// the header says the chunk comes from the server, bit 6 that a hole in the
/// stream precedes it, bits 0–5 its length − 1. The fuzzer chooses the bytes,
/// how they are split between sides and segments, and where bytes are lost.
func fuzzStream<Analyzer: StreamAnalyzer>(_ type: Analyzer.Type, _ data: UnsafeRawBufferPointer) {
    let environment = AnalyzerEnvironment(sink: DiscardingSink(), inspection: sharedInspection)
    let context = FlowContext.standalone(transport: 6, serverPort: 443, environment: environment)
    let analyzer = type.init(context: context)
    let reference = PacketReference(file: 0, packet: 1, timeNanos: 0)
    var attached: Set<Side> = []
    var stopped: Set<Side> = []
    var offset = 0
    while offset < data.count {
        let header = data[offset]
        let side: Side = header & 0x80 != 0 ? .server : .client
        let gap = header & 0x40 != 0
        let length = min(Int(header & 0x3F) + 1, data.count - offset - 1)
        offset += 1
        guard length > 0 else { break }
        let chunk = RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: data[offset..<(offset + length)]))
        offset += length
        if stopped.contains(side) { continue }
        if !attached.contains(side) {
            attached.insert(side)
            analyzer.attach(side, afterGap: gap)
        } else if gap {
            analyzer.noteGap(from: side, at: reference)
        }
        var requests = FlowRequests()
        analyzer.receive(chunk, from: side, at: reference, requests: &requests)
        if requests.stopClient || requests.handOffClient != nil { stopped.insert(.client) }
        if requests.stopServer || requests.handOffServer != nil { stopped.insert(.server) }
        if requests.swapRoles { analyzer.rolesSwapped() }
    }
    analyzer.finish(at: reference)
}

/// The chunked form of real deliveries (a seed for `fuzzStream`).
func encodeStream(_ deliveries: [(side: Side, bytes: [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    for delivery in deliveries {
        var start = 0
        while start < delivery.bytes.count {
            let length = min(64, delivery.bytes.count - start)
            out.append((delivery.side == .server ? 0x80 : 0) | UInt8(length - 1))
            out.append(contentsOf: delivery.bytes[start..<(start + length)])
            start += length
        }
    }
    return out
}

/// The chunked form of real datagrams (a seed for `fuzzDatagram`).
func encodeDatagrams(_ datagrams: [(side: Side, bytes: [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    for datagram in datagrams {
        let length = min(datagram.bytes.count, 0x7FFF)
        let header = (datagram.side == .server ? 0x8000 : 0) | length
        out.append(UInt8(header >> 8))
        out.append(UInt8(header & 0xFF))
        out.append(contentsOf: datagram.bytes[0..<length])
    }
    return out
}

/// Datagram inputs are chunks of a two-byte header (bit 15: from the server;
/// bits 0–14: length) and the datagram.
func fuzzDatagram<Analyzer: DatagramAnalyzer>(_ type: Analyzer.Type, _ data: UnsafeRawBufferPointer) {
    let environment = AnalyzerEnvironment(sink: DiscardingSink(), inspection: sharedInspection)
    let context = FlowContext.standalone(transport: 17, serverPort: 53, environment: environment)
    let analyzer = type.init(context: context)
    let reference = PacketReference(file: 0, packet: 1, timeNanos: 0)
    var offset = 0
    while offset + 2 <= data.count {
        let header = Int(data[offset]) << 8 | Int(data[offset + 1])
        offset += 2
        let length = min(header & 0x7FFF, data.count - offset)
        analyzer.receive(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: data[offset..<(offset + length)])),
                         from: header & 0x8000 != 0 ? .server : .client, at: reference)
        offset += length
    }
}

/// A whole capture file through the whole engine (reader, decoder, flows,
/// every analyzer, rules, report model), read from a pipe the way standard
/// input is (no digest thread, no file on disk). A pipe holds 64 KiB, so a
/// larger input (a replayed seed, never a fuzzer's at -max_len 16384) goes
/// through a file on tmpfs instead.
func fuzzCapture(_ data: UnsafeRawBufferPointer) {
    guard let policy = builtInPolicy else { return }
    let pipeline = Pipeline(policy: policy, failOn: nil)
    if data.count > 65_536 {
        let path = "/dev/shm/wirecheck-fuzz-\(getpid()).pcap"
        guard FileManager.default.createFile(atPath: path, contents: Data(data)) else { return }
        defer { unlink(path) }
        _ = pipeline.run(inputs: [path], generatedAt: "2000-01-01T00:00:00Z")
        return
    }
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return }
    var written = 0
    while written < data.count {
        let n = write(ends[1], data.baseAddress! + written, data.count - written)
        if n <= 0 { break }
        written += n
    }
    close(ends[1])
    defer { close(ends[0]) }
    guard written == data.count else { return }
    _ = pipeline.run(inputs: ["/proc/self/fd/\(ends[0])"], generatedAt: "2000-01-01T00:00:00Z")
}

let harnesses: [Harness] = [
    Harness(name: "tls") { fuzzStream(TLSAnalyzer.self, $0) },
    Harness(name: "http") { fuzzStream(HTTPAnalyzer.self, $0) },
    Harness(name: "dns-tcp") { fuzzStream(DNSStreamAnalyzer.self, $0) },
    Harness(name: "raw") { fuzzStream(RawStreamScanner.self, $0) },
    Harness(name: "dns") { fuzzDatagram(DNSDatagramAnalyzer.self, $0) },
    Harness(name: "quic") { fuzzDatagram(QUICAnalyzer.self, $0) },
    Harness(name: "raw-udp") { fuzzDatagram(RawDatagramScanner.self, $0) },
    Harness(name: "pcap") { fuzzCapture($0) },
    Harness(name: "pcapng") { fuzzCapture($0) },
]

func harness(named name: String) -> Harness? { harnesses.first { $0.name == name } }
