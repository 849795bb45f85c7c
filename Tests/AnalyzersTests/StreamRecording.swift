import Capture
import Facts
import Foundation
import Synchronization
import WireBytes
@testable import Analyzers

let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func capturePath(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("captures").appendingPathComponent(relative).path
}

/// One in-order delivery of a flow's reassembled bytes, as the dissector made it.
struct Delivery: Sendable {
    var side: Side
    var bytes: [UInt8]
}

/// Takes every side of every flow and records what the dissector delivers,
/// so an analyzer can be fed the same bytes again, split other ways.
final class StreamTap: StreamAnalyzer {
    static let name = "tap"
    static let recorded = Mutex<[Int: [Delivery]]>([:])

    static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult { .match }

    private let flow: Int

    init(context: FlowContext) {
        flow = context.id
    }

    func attach(_ side: Side, afterGap: Bool) {}

    func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        let copy = bytes.withUnsafeBytes { Array($0) }
        Self.recorded.withLock { $0[flow, default: []].append(Delivery(side: side, bytes: copy)) }
    }

    func noteGap(from side: Side, at reference: PacketReference) {}
    func finish(at last: PacketReference) {}
    var plaintextProtocol: PlaintextProtocol? { nil }
}

/// Discards events: the recording run wants only the bytes.
final class NullSink: FactSink {
    func receive(_ event: FactEvent) {}
}

/// Every TCP flow's deliveries in one capture, by flow id. Runs are serialised by the caller.
func recordStreams(_ relative: String) throws -> [[Delivery]] {
    StreamTap.recorded.withLock { $0 = [:] }
    let registry = AnalyzerRegistry(stream: [StreamTap.self], streamFallback: nil, datagram: [], datagramFallback: nil)
    let dissector = Dissector(registry: registry, sink: NullSink())
    struct Feed: PacketConsumer {
        let dissector: Dissector
        mutating func packet(_ record: PacketRecord, bytes: RawSpan) {
            dissector.process(packet: record.number, timeNanos: record.timestampNanos, linkType: record.linkType.rawValue, bytes: bytes)
        }
        mutating func decryptionSecrets(_ secrets: DecryptionSecrets) {}
    }
    var feed = Feed(dissector: dissector)
    _ = try CaptureFileReader(path: capturePath(relative)).read(into: &feed)
    _ = dissector.finish()
    return StreamTap.recorded.withLock { recorded in recorded.keys.sorted().map { recorded[$0]! } }
}

/// Collects what an analyzer emits, as text that compares facts, not their packet references.
final class FactTranscript: FactSink {
    private(set) var lines: [String] = []

    func receive(_ event: FactEvent) {
        switch event {
        case .handshakeComplete(let h):
            let chain = h.serverCertificates.map { $0.certificate?.sha256 ?? "notDER:\($0.notDER?.sha256 ?? "")" }
            let clientChain = h.clientCertificates.map { $0.certificate?.sha256 ?? "notDER" }
            lines.append("handshake sni=\(h.serverName ?? "-") offered=\(h.clientHello?.cipherSuites.count ?? -1) "
                         + "version=\(h.negotiatedVersion?.name ?? "-") suite=\(h.serverHello?.cipherSuite.hexCode ?? "-") "
                         + "hrr=\(h.helloRetryRequested) retried=\(h.retriedClientHello != nil) ske=\(h.serverKeyExchange.map { "\($0.parameters)" } ?? "-") "
                         + "request=\(h.certificateRequest != nil) verify=\(h.clientCertificateVerify.map { "\($0.signatureScheme?.name ?? "-")" } ?? "-") "
                         + "chain=\(chain) client=\(clientChain) alerts=\(h.alerts.map { "\($0.sender)/\($0.level)/\($0.description.rawValue)" }) "
                         + "errors=\(h.errors.map { "\($0.kind.rawValue): \($0.message)" }) encrypted=\(h.sawEncryptedClientRecords)/\(h.sawEncryptedServerRecords) "
                         + "ja4=\(h.fingerprints?.ja4 ?? "-")")
        case .httpMessage(let m):
            lines.append("http \(m.sender) \(m.method ?? "-") \(m.host ?? "-") \(m.path ?? "-") \(m.query ?? "-") \(m.status.map(String.init) ?? "-") \(m.contentType ?? "-") \(m.bodyBytes)")
        case .dnsAnswer(let a):
            lines.append("dns \(a.questions) \(a.answers.map { "\($0.name) \($0.type) \($0.ttl) \($0.address.map { "\($0)" } ?? $0.target ?? "-")" })")
        case .piSighting(let s):
            lines.append("pi \(s.sender) \(s.carrier) \(s.match.type.rawValue) \(s.match.value) \(s.match.decoding) \(s.match.field ?? "-") x\(s.match.occurrences)")
        case .anomaly(let a):
            lines.append("anomaly \(a.side) \(a.kind.rawValue): \(a.detail)")
        case .flowOpened, .flowClosed, .decryptionSecrets:
            break
        }
    }
}
