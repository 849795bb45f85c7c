import Detectors
import Facts
import WireBytes

/// The fallback for a UDP flow no protocol analyzer claimed: each datagram
/// is scanned for PI, within the flow's scan budget.
public final class RawDatagramScanner: DatagramAnalyzer {
    public static let name = "raw-udp"

    public static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult { .match }

    private let context: FlowContext

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .unknown }

    public func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {
        Self.scan(datagram, from: side, at: packet, in: context)
    }

    /// Shared with analyzers whose protocol a datagram turned out not to follow.
    static func scan(_ datagram: RawSpan, from side: Side, at packet: PacketReference, in context: FlowContext) {
        guard let inspection = context.environment.inspection, inspection.inspectUDP,
              context.takeDatagramScanBudget(datagram.byteCount) else { return }
        let bytes = datagram.withUnsafeBytes { Array($0) }
        let matches = inspection.inspector.inspect(bytes, as: PlaintextInspection.guessKind(bytes), field: nil, decoding: ["udp"])
        context.emitSightings(matches, sender: side, http: nil, carrier: .udp, first: packet, lastPacket: packet.packet)
    }
}

extension FlowContext {
    /// Whether the PI scan may read `bytes` more of this UDP flow; charges them if so.
    func takeDatagramScanBudget(_ bytes: Int) -> Bool {
        guard datagramScanBudget > 0 else {
            environment.limits.record(.scanBudget, count: 0, skippedBytes: bytes)
            return false
        }
        datagramScanBudget -= bytes
        return true
    }
}
