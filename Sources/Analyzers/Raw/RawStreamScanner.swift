import Detectors
import Facts
import WireBytes

/// The fallback for a TCP side no protocol analyzer claimed: its bytes are
/// scanned for PI in bounded chunks (up to `maximumRawBytesPerDirection`),
/// each chunk overlapping the last so a value cut by the border is seen whole.
/// In a side's first `upgradeWindow` bytes it also watches for a TLS hello
/// that begins after a plaintext part (an upgrade of a protocol no analyzer
/// knows): the plaintext is scanned, and the rest of the side handed back for
/// probing, so the TLS analyzer reads the handshake.
public final class RawStreamScanner: StreamAnalyzer {
    public static let name = "raw"

    /// Takes anything: it is only ever consulted as the registry's fallback.
    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult { .match }

    private struct SideBuffer {
        var bytes: [UInt8] = []
        var scanned = 0
        var firstPacket = 0
        /// Bytes of `bytes` already searched for a TLS hello.
        var searched = 0
        var upgraded = false
    }

    static let upgradeWindow = 64 << 10

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
        let held: [UInt8]?
        if side == .client { held = append(bytes, to: &client, side: side, limit: limit, at: packet) }
        else { held = append(bytes, to: &server, side: side, limit: limit, at: packet) }
        if let held { requests.handOff(side, held: held) }
    }

    /// Where a TLS record holding a ClientHello or ServerHello starts in `bytes`, at or after
    /// `from`, at the start of the side or of a line (the plaintext protocols that upgrade are line-based).
    static func tlsHelloStart(_ bytes: [UInt8], from: Int) -> Int? {
        var index = max(from, 0)
        while index + 9 <= bytes.count {
            if bytes[index] == 0x16, bytes[index + 1] == 0x03, bytes[index + 2] <= 0x04, index == 0 || bytes[index - 1] == 0x0A {
                let record = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
                let type = bytes[index + 5]
                let message = Int(bytes[index + 6]) << 16 | Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                if (type == 1 || type == 2), record >= 40, record <= 16_384 + 2_048, message >= 36, message <= 1 << 20 { return index }
            }
            index += 1
        }
        return nil
    }

    public func noteGap(from side: Side, at reference: PacketReference) {}

    public func finish(at last: PacketReference) {
        if !client.bytes.isEmpty { scan(&client, side: .client, final: true, at: last) }
        if !server.bytes.isEmpty { scan(&server, side: .server, final: true, at: last) }
    }

    public func rolesSwapped() {
        swap(&client, &server)
    }

    /// Returns the bytes to hand back for probing when a TLS hello begins in them.
    private func append(_ bytes: RawSpan, to buffer: inout SideBuffer, side: Side, limit: Int, at reference: PacketReference) -> [UInt8]? {
        guard buffer.scanned + buffer.bytes.count < limit else {
            context.environment.limits.record(.scanBudget, count: 0, skippedBytes: bytes.byteCount)
            return nil
        }
        if buffer.bytes.isEmpty { buffer.firstPacket = reference.packet }
        bytes.withUnsafeBytes { buffer.bytes.append(contentsOf: $0) }
        if !buffer.upgraded, buffer.scanned + buffer.searched < Self.upgradeWindow {
            // Back up a header's length: a record header may have been cut by the last segment's end.
            if let start = Self.tlsHelloStart(buffer.bytes, from: buffer.searched - 8) {
                buffer.upgraded = true
                let rest = Array(buffer.bytes[start...])
                buffer.bytes.removeSubrange(start...)
                if !buffer.bytes.isEmpty { scan(&buffer, side: side, final: true, at: reference) }
                buffer.searched = 0
                return rest
            }
            buffer.searched = buffer.bytes.count
        }
        if buffer.bytes.count >= Self.chunk {
            scan(&buffer, side: side, final: false, at: reference)
            buffer.searched = min(buffer.searched, buffer.bytes.count)
        }
        return nil
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
