import Facts
import WireBytes

/// QUIC long-header packets (RFC 9000 §17.2): encrypted transport, never
/// plaintext, so the flow is claimed and nothing is scanned.
public final class QUICRecogniser: DatagramAnalyzer {
    public static let name = "quic"

    /// Header form and fixed bits set, then a known version (1, 2, a draft, or version negotiation).
    public static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult {
        guard datagram.byteCount >= 7 else { return .noMatch }
        let first = datagram.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        guard first & 0xC0 == 0xC0 else { return .noMatch }
        var version: UInt32 = 0
        for index in 1...4 { version = version << 8 | UInt32(datagram.unsafeLoad(fromByteOffset: index, as: UInt8.self)) }
        let known = version == 0x0000_0001 || version == 0x6B33_43CF || version & 0xFFFF_FF00 == 0xFF00_0000 || version == 0
        return known ? .match : .noMatch
    }

    public init(context: FlowContext) {}

    public var plaintextProtocol: PlaintextProtocol? { nil }

    public func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {}
}
