import Facts
import ProtocolTLS
import TLSModel
import WireBytes

/// DTLS 1.0, 1.2 and 1.3 on any UDP port (RFC 4347, RFC 6347, RFC 9147).
/// Each datagram holds records (13-byte headers: type, version, epoch,
/// sequence number, length); handshake records hold fragments (12-byte
/// headers: type, length, message_seq, fragment_offset, fragment_length),
/// reassembled by message_seq into whole messages and handed to the shared
/// handshake recorder. A retransmitted flight repeats message_seq values,
/// possibly cut differently: a message already delivered is not delivered
/// again, so one handshake stays one. Records of epoch > 0 are encrypted
/// (DTLS 1.3 also encrypts with a unified header, RFC 9147 §4).
public final class DTLSAnalyzer: DatagramAnalyzer {
    public static let name = "dtls"

    /// A plaintext handshake record of a DTLS version (epoch 0, a sane length)
    /// whose first fragment is a ClientHello, HelloVerifyRequest or ServerHello.
    public static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult {
        guard datagram.byteCount >= 13 + 12 else { return .noMatch }
        guard byte(datagram, 0) == 22, byte(datagram, 1) == 0xFE, [0xFF, 0xFD, 0xFC].contains(byte(datagram, 2)),
              byte(datagram, 3) == 0, byte(datagram, 4) == 0 else { return .noMatch }
        let length = Int(byte(datagram, 11)) << 8 | Int(byte(datagram, 12))
        guard length >= 12, 13 + length <= datagram.byteCount else { return .noMatch }
        return [1, 2, 3].contains(byte(datagram, 13)) ? .match : .noMatch
    }

    private struct PendingMessage {
        var type: UInt8
        var length: Int
        var bytes: [UInt8]
        /// Fragment ranges received, merged.
        var covered: [Range<Int>] = []

        var isComplete: Bool { covered.count == 1 && covered[0] == 0..<length }

        mutating func add(_ range: Range<Int>) {
            var merged = range
            covered = covered.filter { existing in
                guard existing.overlaps(merged) || existing.upperBound == merged.lowerBound || merged.upperBound == existing.lowerBound else { return true }
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
                return false
            }
            covered.append(merged)
        }
    }

    private struct SideState {
        /// Messages delivered so far: the next message_seq expected.
        var nextSequence = 0
        /// The type delivered under each message_seq: a fragment of one of them is a retransmission.
        var delivered: [Int: UInt8] = [:]
        var pending: [Int: PendingMessage] = [:]
        var pendingBytes = 0
        var encrypted = false
    }

    private let context: FlowContext
    private let recorder: HandshakeRecorder
    private var client = SideState()
    private var server = SideState()
    private var anomalies = 0

    /// Certificate chains of several RSA 4096 certificates run past 8 KiB; a
    /// message longer than this is not reassembled.
    static let maximumMessage = 256 << 10
    static let maximumPendingBytes = 512 << 10

    public init(context: FlowContext) {
        self.context = context
        recorder = HandshakeRecorder(context: context, transport: .dtls)
    }

    public var plaintextProtocol: PlaintextProtocol? { nil }

    public func finish(at last: PacketReference) {
        recorder.complete()
    }

    public func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {
        recorder.reference = packet
        var offset = 0
        while datagram.byteCount - offset >= 1 {
            let first = datagram.unsafeLoad(fromByteOffset: offset, as: UInt8.self)
            // RFC 9147 §4: a first byte 001xxxxx is an encrypted record with the unified header.
            if first & 0xE0 == 0x20 {
                encrypted(side)
                return
            }
            guard datagram.byteCount - offset >= 13 else {
                problem(side, "\(datagram.byteCount - offset) byte(s) after the last record are no record header", at: packet)
                return
            }
            let record = datagram.extracting(offset..<datagram.byteCount)
            let epoch = Int(record.unsafeLoad(fromByteOffset: 3, as: UInt8.self)) << 8 | Int(record.unsafeLoad(fromByteOffset: 4, as: UInt8.self))
            let length = Int(record.unsafeLoad(fromByteOffset: 11, as: UInt8.self)) << 8 | Int(record.unsafeLoad(fromByteOffset: 12, as: UInt8.self))
            guard 13 + length <= record.byteCount else {
                problem(side, "record claims \(length) byte(s), the datagram holds \(record.byteCount - 13)", at: packet)
                return
            }
            let body = record.extracting(13..<(13 + length))
            offset += 13 + length
            if epoch > 0 {
                encrypted(side)
                continue
            }
            switch first {
            case 22: handshakeRecord(body, from: side, at: packet)
            case 21 where length == 2:
                recorder.alert(level: body.unsafeLoad(fromByteOffset: 0, as: UInt8.self),
                               description: body.unsafeLoad(fromByteOffset: 1, as: UInt8.self), from: side)
            case 20:
                // ChangeCipherSpec: this side's next records are of epoch 1.
                break
            case 23:
                encrypted(side)
            default:
                problem(side, "record type \(first) in epoch 0", at: packet)
            }
        }
    }

    private func encrypted(_ side: Side) {
        if side == .client { client.encrypted = true } else { server.encrypted = true }
        recorder.update { fact in
            if side == .server { fact.sawEncryptedServerRecords = true } else { fact.sawEncryptedClientRecords = true }
        }
        if client.encrypted && server.encrypted { recorder.complete() }
    }

    private func handshakeRecord(_ body: RawSpan, from side: Side, at packet: PacketReference) {
        var offset = 0
        while body.byteCount - offset >= 12 {
            let fragment = body.extracting(offset..<body.byteCount)
            let type = fragment.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
            let length = Self.uint24(fragment, 1)
            let sequence = Int(fragment.unsafeLoad(fromByteOffset: 4, as: UInt8.self)) << 8 | Int(fragment.unsafeLoad(fromByteOffset: 5, as: UInt8.self))
            let fragmentOffset = Self.uint24(fragment, 6)
            let fragmentLength = Self.uint24(fragment, 9)
            guard 12 + fragmentLength <= fragment.byteCount, fragmentOffset + fragmentLength <= length else {
                problem(side, "handshake fragment \(fragmentOffset)+\(fragmentLength) of a \(length)-byte message does not fit its record", at: packet)
                return
            }
            guard length <= Self.maximumMessage else {
                problem(side, "handshake message type \(type) claims \(length) bytes (limit \(Self.maximumMessage))", at: packet)
                return
            }
            fragmentReceived(type: type, length: length, sequence: sequence, offset: fragmentOffset,
                             data: fragment.extracting(12..<(12 + fragmentLength)), from: side)
            offset += 12 + fragmentLength
        }
        if offset < body.byteCount { problem(side, "\(body.byteCount - offset) byte(s) in a handshake record are no fragment header", at: packet) }
    }

    private func fragmentReceived(type: UInt8, length: Int, sequence: Int, offset: Int, data: RawSpan, from side: Side) {
        var state = side == .client ? client : server
        defer { if side == .client { client = state } else { server = state } }
        // A HelloVerifyRequest answers message_seq 0 and the client's second
        // ClientHello is message_seq 1; a server restarts at 0 after it (RFC 6347 §4.2.2).
        if sequence < state.nextSequence {
            if state.delivered[sequence] == type { return }  // a retransmission of what was delivered
            // A server that answered with a HelloVerifyRequest statelessly may count from 0 again.
            state.nextSequence = sequence
            state.delivered = state.delivered.filter { $0.key < sequence }
        }
        if offset == 0 && data.byteCount == length && sequence == state.nextSequence && state.pending[sequence] == nil {
            // The common case: a whole message in one fragment, parsed in place.
            state.delivered[sequence] = type
            state.nextSequence += 1
            deliver(type, data, from: side)
            deliverQueued(&state, from: side)
            return
        }
        var message = state.pending[sequence] ?? PendingMessage(type: type, length: length, bytes: [])
        guard message.type == type, message.length == length else { return }  // a conflicting fragment: the first wins
        if message.bytes.isEmpty {
            guard state.pendingBytes + length <= Self.maximumPendingBytes else { return }
            message.bytes = [UInt8](repeating: 0, count: length)
            state.pendingBytes += length
        }
        data.withUnsafeBytes { raw in
            for index in 0..<raw.count { message.bytes[offset + index] = raw[index] }
        }
        message.add(offset..<(offset + data.byteCount))
        state.pending[sequence] = message
        deliverQueued(&state, from: side)
    }

    private func deliverQueued(_ state: inout SideState, from side: Side) {
        while let message = state.pending[state.nextSequence], message.isComplete {
            state.pending[state.nextSequence] = nil
            state.pendingBytes -= message.length
            state.delivered[state.nextSequence] = message.type
            state.nextSequence += 1
            message.bytes.withUnsafeBytes { deliver(message.type, RawSpan(_unsafeBytes: $0), from: side) }
        }
    }

    private func deliver(_ type: UInt8, _ body: RawSpan, from side: Side) {
        recorder.message(type, body: body, from: side)
    }

    @inline(__always)
    static func byte(_ span: RawSpan, _ index: Int) -> UInt8 { span.unsafeLoad(fromByteOffset: index, as: UInt8.self) }

    static func uint24(_ span: RawSpan, _ offset: Int) -> Int {
        Int(span.unsafeLoad(fromByteOffset: offset, as: UInt8.self)) << 16
            | Int(span.unsafeLoad(fromByteOffset: offset + 1, as: UInt8.self)) << 8
            | Int(span.unsafeLoad(fromByteOffset: offset + 2, as: UInt8.self))
    }

    private func problem(_ side: Side, _ detail: String, at packet: PacketReference) {
        anomalies += 1
        guard anomalies <= 4 else { return }
        context.emitAnomaly(.dtlsRecordInvalid, from: side, detail, at: packet)
    }
}
