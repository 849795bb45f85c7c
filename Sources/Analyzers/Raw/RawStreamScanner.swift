import Detectors
import Facts
import WireBytes

/// The fallback for a TCP side no protocol analyzer claimed: its bytes are
/// scanned for PI in bounded chunks (up to `maximumRawBytesPerDirection`),
/// each chunk overlapping the last so a value cut by the border is seen whole.
public final class RawStreamScanner: StreamAnalyzer {
    public static let name = "raw"

    /// Takes anything: it is only ever consulted as the registry's fallback.
    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult { .match }

    private struct SideBuffer {
        var bytes: [UInt8] = []
        var scanned = 0
        var firstPacket = 0
    }

    static let chunk = 64 << 10
    static let overlap = 256

    private let context: FlowContext
    private var client = SideBuffer()
    private var server = SideBuffer()

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .unknown }

    public func attach(_ side: Side, afterGap: Bool) {}

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        guard let inspection = context.environment.inspection else { return }
        let limit = inspection.maximumRawBytesPerDirection
        if side == .client { append(bytes, to: &client, side: side, limit: limit, at: packet) }
        else { append(bytes, to: &server, side: side, limit: limit, at: packet) }
    }

    public func noteGap(from side: Side, at reference: PacketReference) {}

    public func finish(at last: PacketReference) {
        if !client.bytes.isEmpty { scan(&client, side: .client, final: true, at: last) }
        if !server.bytes.isEmpty { scan(&server, side: .server, final: true, at: last) }
    }

    public func rolesSwapped() {
        swap(&client, &server)
    }

    private func append(_ bytes: RawSpan, to buffer: inout SideBuffer, side: Side, limit: Int, at reference: PacketReference) {
        guard buffer.scanned + buffer.bytes.count < limit else {
            context.environment.limits.record(.scanBudget, count: 0, skippedBytes: bytes.byteCount)
            return
        }
        if buffer.bytes.isEmpty { buffer.firstPacket = reference.packet }
        bytes.withUnsafeBytes { buffer.bytes.append(contentsOf: $0) }
        if buffer.bytes.count >= Self.chunk { scan(&buffer, side: side, final: false, at: reference) }
    }

    private func scan(_ buffer: inout SideBuffer, side: Side, final: Bool, at reference: PacketReference) {
        guard let inspection = context.environment.inspection else { return }
        let kind = PlaintextInspection.guessKind(buffer.bytes)
        let matches = inspection.inspector.inspect(buffer.bytes, as: kind, field: nil, decoding: ["raw"])
        let start = context.reference(packet: buffer.firstPacket, timeNanos: reference.timeNanos)
        context.emitSightings(matches, sender: side, http: nil, carrier: .tcp, first: start, lastPacket: reference.packet)
        let keep = final ? 0 : min(Self.overlap, buffer.bytes.count)
        let scanned = buffer.bytes.count - keep
        buffer.bytes.removeFirst(scanned)
        buffer.scanned += scanned
        buffer.firstPacket = reference.packet
    }
}

extension RawStreamScanner {
    /// Scans bytes no analyzer will ever see (a side's first bytes cut off by a hole).
    static func scanOnce(_ bytes: RawSpan, from side: Side, first: PacketReference, last: PacketReference, in context: FlowContext) {
        guard let inspection = context.environment.inspection else { return }
        let array = bytes.withUnsafeBytes { Array($0) }
        let matches = inspection.inspector.inspect(array, as: PlaintextInspection.guessKind(array), field: nil, decoding: ["raw"])
        context.emitSightings(matches, sender: side, http: nil, carrier: .tcp, first: first, lastPacket: last.packet)
    }
}
