import Detectors
import Facts
import Flows
import PacketDecoding
import Testing
import TestSupport
import WireBytes
@testable import Analyzers

/// Suricata and swift-nio test stream decoders this way: the same bytes fed
/// whole, one byte at a time, and split at random points must give the same
/// facts. The bytes are real: each capture's TCP streams as the dissector
/// delivered them.
@Suite(.serialized) struct DripFeedTests {
    enum Split: CustomStringConvertible {
        case whole, bytewise, random(UInt64)
        var description: String {
            switch self {
            case .whole: "whole"
            case .bytewise: "one byte at a time"
            case .random(let seed): "random splits (seed \(seed))"
            }
        }
    }

    /// Feeds `deliveries` to a fresh analyzer of `type`, split as asked; the facts it emitted.
    static func transcript(_ type: any StreamAnalyzer.Type, _ deliveries: [Delivery], split: Split) -> [String] {
        let transcript = FactTranscript()
        var inspector = PIInspector()
        inspector.meter = nil
        let environment = AnalyzerEnvironment(sink: transcript, inspection: PlaintextInspection(inspector: inspector))
        let context = FlowContext.standalone(transport: 6, serverPort: 443, environment: environment)
        let analyzer = type.init(context: context)
        let reference = PacketReference(file: 0, packet: 1, timeNanos: 0)
        var attached: Set<Side> = []
        var stopped: Set<Side> = []
        var swapped = false
        var random = SplitMix64(seed: { if case .random(let seed) = split { seed } else { 0 } }())
        for delivery in deliveries {
            let side = swapped ? delivery.side.other : delivery.side
            if !attached.contains(side) {
                attached.insert(side)
                analyzer.attach(side, afterGap: false)
            }
            var pieces: [ArraySlice<UInt8>] = []
            switch split {
            case .whole:
                pieces = [delivery.bytes[...]]
            case .bytewise:
                pieces = delivery.bytes.indices.map { delivery.bytes[$0...$0] }
            case .random:
                var start = 0
                while start < delivery.bytes.count {
                    let end = min(delivery.bytes.count, start + random.next(1...700))
                    pieces.append(delivery.bytes[start..<end])
                    start = end
                }
            }
            for piece in pieces where !stopped.contains(side) {
                var requests = FlowRequests()
                Array(piece).withUnsafeBytes { analyzer.receive(RawSpan(_unsafeBytes: $0), from: side, at: reference, requests: &requests) }
                if requests.stopClient { stopped.insert(.client) }
                if requests.stopServer { stopped.insert(.server) }
                if requests.handOffClient != nil { stopped.insert(.client) }
                if requests.handOffServer != nil { stopped.insert(.server) }
                if requests.swapRoles {
                    swapped.toggle()
                    analyzer.rolesSwapped()
                }
            }
        }
        analyzer.finish(at: reference)
        return transcript.lines
    }

    static let cases: [(capture: String, analyzer: any StreamAnalyzer.Type)] = [
        ("openssl/mtls12.pcap", TLSAnalyzer.self),
        ("openssl/tls13-hrr.pcap", TLSAnalyzer.self),
        ("openssl/tls12-dhe-1024.pcap", TLSAnalyzer.self),
        ("legacy-tlcp/sslv2-hello-tls10.pcap", TLSAnalyzer.self),
        ("legacy-tlcp/tlcp-ecc-sm4-cbc-sm3.pcap", TLSAnalyzer.self),
        ("transport/segmented-reordered.pcap", TLSAnalyzer.self),
        ("pii/http-pipelined.pcap", HTTPAnalyzer.self),
        ("pii/http-chunked-split.pcap", HTTPAnalyzer.self),
        ("pii/http-gzip-body.pcap", HTTPAnalyzer.self),
        ("pii/http-multipart-applist.pcap", HTTPAnalyzer.self),
        ("transport/connect-proxy.pcap", HTTPAnalyzer.self),
        ("pii/websocket-telemetry.pcap", HTTPAnalyzer.self),
        ("transport/dns-tcp.pcap", DNSStreamAnalyzer.self),
    ]

    @Test(arguments: cases.indices)
    func sameFactsHoweverTheBytesAreSplit(_ index: Int) throws {
        let (capture, type) = Self.cases[index]
        let flows = try recordStreams(capture)
        var analysed = 0
        for deliveries in flows {
            guard let first = deliveries.first else { continue }
            let claims = first.bytes.withUnsafeBytes { type.probe(RawSpan(_unsafeBytes: $0), from: first.side, afterGap: false, final: true) }
            guard claims == .match else { continue }
            analysed += 1
            let whole = Self.transcript(type, deliveries, split: .whole)
            #expect(!whole.isEmpty, "\(capture): \(type.name) emitted nothing")
            for split in [Split.bytewise, .random(1), .random(2), .random(3)] {
                let other = Self.transcript(type, deliveries, split: split)
                #expect(other == whole, "\(capture), \(split): \(other.difference(from: whole))")
            }
        }
        #expect(analysed > 0, "\(capture): no flow is \(type.name)")
    }
}
