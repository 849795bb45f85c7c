import Facts
import TLSModel
import WireBytes

/// QUIC on any UDP port (RFC 9000, QUIC v2 RFC 9369, draft-29): the Initial
/// packets of both sides are opened with the keys every observer can derive
/// from the client's first Destination Connection ID (RFC 9001 §5.2), their
/// CRYPTO frames reassembled across packets and coalesced datagrams, and the
/// ClientHello and ServerHello inside parsed by the TLS parsers into one
/// `HandshakeFact` (transport `quic`). Everything after the Initials is
/// protected by keys a passive capture does not have: the certificate is
/// never observable, and later packets are only counted.
public final class QUICAnalyzer: DatagramAnalyzer {
    public static let name = "quic"

    /// Header form and fixed bits set, then a version this analyzer follows
    /// (1, 2, a draft) or version negotiation (0), with connection ID lengths
    /// QUIC allows (at most 20 bytes, RFC 9000 §17.2).
    public static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult {
        guard datagram.byteCount >= 7 else { return .noMatch }
        let first = datagram.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        guard first & 0xC0 == 0xC0 else { return .noMatch }
        var version: UInt32 = 0
        for index in 1...4 { version = version << 8 | UInt32(datagram.unsafeLoad(fromByteOffset: index, as: UInt8.self)) }
        let known = version == 0x0000_0001 || version == 0x6B33_43CF || version & 0xFFFF_FF00 == 0xFF00_0000 || version == 0
        guard known, datagram.unsafeLoad(fromByteOffset: 5, as: UInt8.self) <= 20 else { return .noMatch }
        return .match
    }

    private let context: FlowContext
    private let recorder: HandshakeRecorder
    /// The side that sent the first Initial: the QUIC client, whatever the ports said.
    private var quicClient: Side?
    /// The Destination Connection ID of the client's first Initial (or its first after a Retry).
    private var clientDestinationID: [UInt8] = []
    private var retrySeen = false
    private struct KeyIndex: Hashable {
        var version: QUICVersion
        var fromServer: Bool
    }
    private var keys: [KeyIndex: QUICInitialKeys] = [:]
    private var clientCrypto = CryptoStreamAssembler()
    private var serverCrypto = CryptoStreamAssembler()
    private var largestClientPacket: UInt64?
    private var largestServerPacket: UInt64?
    /// Both hellos are in: nothing more can be opened.
    private var done = false
    private var anomalies = 0

    public init(context: FlowContext) {
        self.context = context
        recorder = HandshakeRecorder(context: context, transport: .quic)
    }

    public var plaintextProtocol: PlaintextProtocol? { nil }

    public func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {
        guard !done else { return }
        recorder.reference = packet
        var offset = 0
        // A datagram may hold several coalesced long-header packets (RFC 9000 §12.2);
        // a short-header packet runs to the datagram's end and cannot be opened.
        while offset < datagram.byteCount, !done {
            guard let length = longHeaderPacket(datagram.extracting(offset..<datagram.byteCount), from: side, at: packet) else { return }
            offset += length
        }
    }

    public func finish(at last: PacketReference) {
        recorder.complete()
    }

    /// Handles the long-header packet at the start of `bytes`; its length, or
    /// nil when no further packet can follow in this datagram.
    private func longHeaderPacket(_ bytes: RawSpan, from side: Side, at packet: PacketReference) -> Int? {
        guard bytes.byteCount >= 7 else { return nil }
        let first = bytes.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        guard first & 0x80 != 0 else { return nil }
        var wire: UInt32 = 0
        for index in 1...4 { wire = wire << 8 | UInt32(bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self)) }
        guard wire != 0 else { return nil }  // version negotiation: no packets inside
        guard let packetVersion = QUICVersion(wire: wire) else {
            problem(side, "QUIC version 0x\(String(wire, radix: 16)) has no Initial keys wirecheck knows", at: packet)
            return nil
        }
        var cursor = 5
        let destinationLength = Int(bytes.unsafeLoad(fromByteOffset: cursor, as: UInt8.self))
        cursor += 1
        guard destinationLength <= 20, cursor + destinationLength < bytes.byteCount else { return truncated(side, at: packet) }
        let destination = bytes.extracting(cursor..<(cursor + destinationLength)).withUnsafeBytes { Array($0) }
        cursor += destinationLength
        let sourceLength = Int(bytes.unsafeLoad(fromByteOffset: cursor, as: UInt8.self))
        cursor += 1 + sourceLength
        guard sourceLength <= 20, cursor <= bytes.byteCount else { return truncated(side, at: packet) }
        let type = (first >> 4) & 0x03
        if type == packetVersion.retryType {
            // A Retry runs to the datagram's end; the client's next Initial picks the keys' connection ID.
            if side != quicClient { retrySeen = true }
            return nil
        }
        let isInitial = type == packetVersion.initialType
        if isInitial {
            guard let token = QUICVarint.read(bytes, at: cursor) else { return truncated(side, at: packet) }
            cursor += token.length
            guard token.value <= UInt64(bytes.byteCount - cursor) else { return truncated(side, at: packet) }
            cursor += Int(token.value)
        }
        guard let length = QUICVarint.read(bytes, at: cursor) else { return truncated(side, at: packet) }
        cursor += length.length
        guard length.value <= UInt64(bytes.byteCount - cursor) else { return truncated(side, at: packet) }
        let end = cursor + Int(length.value)
        if isInitial { initial(bytes.extracting(0..<end), packetNumberOffset: cursor, destination: destination,
                               version: packetVersion, wire: wire, from: side, at: packet) }
        return end
    }

    private func initial(_ bytes: RawSpan, packetNumberOffset: Int, destination: [UInt8], version packetVersion: QUICVersion,
                         wire: UInt32, from side: Side, at packet: PacketReference) {
        if quicClient == nil { quicClient = side }
        let fromClient = side == quicClient
        if fromClient && (clientDestinationID.isEmpty || retrySeen) {
            // RFC 9001 §5.2: both directions' Initial keys come from the DCID of the
            // client's first Initial; only a Retry makes the client choose a new one.
            // Later client Initials addressed to the server's own ID keep those keys.
            clientDestinationID = destination
            retrySeen = false
            keys = [:]
        }
        guard !clientDestinationID.isEmpty else {
            problem(side, "server Initial before any client Initial: its keys are unknown", at: packet)
            return
        }
        if fromClient { recorder.quicVersion = recorder.quicVersion ?? wire }
        // A compatible version negotiation (RFC 9368) moves the server to another version: keys per version.
        let keyIndex = KeyIndex(version: packetVersion, fromServer: !fromClient)
        let keys = self.keys[keyIndex] ?? QUICInitialKeys(version: packetVersion, destinationConnectionID: clientDestinationID, fromServer: !fromClient)
        self.keys[keyIndex] = keys
        let opened: (packetNumber: UInt64, payload: [UInt8])
        do throws(QUICInitialKeys.OpenFailure) {
            opened = try keys.open(bytes, packetNumberOffset: packetNumberOffset,
                                   largestSeen: fromClient ? largestClientPacket : largestServerPacket)
        } catch {
            problem(side, error == .tooShort ? "Initial packet too short to remove header protection"
                                             : "Initial packet does not decrypt with the keys of connection ID \(Hex.string(clientDestinationID))",
                    at: packet)
            return
        }
        if fromClient { largestClientPacket = max(largestClientPacket ?? 0, opened.packetNumber) }
        else { largestServerPacket = max(largestServerPacket ?? 0, opened.packetNumber) }
        let complete = opened.payload.withUnsafeBytes { raw in frames(RawSpan(_unsafeBytes: raw), fromClient: fromClient, at: packet) }
        if !complete {
            problem(side, "Initial packet holds a frame an Initial may not carry, or a truncated one", at: packet)
        }
        deliverMessages(fromClient: fromClient)
    }

    /// Walks an Initial's frames (RFC 9000 §12.4: PADDING, PING, ACK, CRYPTO,
    /// CONNECTION_CLOSE); false at a frame that cannot be in an Initial.
    private func frames(_ payload: RawSpan, fromClient: Bool, at packet: PacketReference) -> Bool {
        var cursor = 0
        while cursor < payload.byteCount {
            guard let frame = QUICVarint.read(payload, at: cursor) else { return false }
            cursor += frame.length
            switch frame.value {
            case 0x00, 0x01:
                continue
            case 0x02, 0x03:
                // ACK: largest, delay, range count, first range, then (gap, length) pairs, then ECN counts.
                var fields = 4
                guard let count = QUICVarint.read(payload, at: skip(payload, cursor, fields: 2) ?? payload.byteCount) else { return false }
                fields += Int(min(count.value, 1 << 16)) * 2 + (frame.value == 0x03 ? 3 : 0)
                guard let next = skip(payload, cursor, fields: fields) else { return false }
                cursor = next
            case 0x06:
                guard let offset = QUICVarint.read(payload, at: cursor) else { return false }
                cursor += offset.length
                guard let length = QUICVarint.read(payload, at: cursor) else { return false }
                cursor += length.length
                guard length.value <= UInt64(payload.byteCount - cursor), offset.value < UInt64(CryptoStreamAssembler.maximumBytes) else { return false }
                let data = payload.extracting(cursor..<(cursor + Int(length.value)))
                if fromClient { clientCrypto.add(offset: Int(offset.value), data) } else { serverCrypto.add(offset: Int(offset.value), data) }
                cursor += Int(length.value)
            case 0x1C, 0x1D:
                // CONNECTION_CLOSE: error code, (frame type), reason phrase.
                guard let next = skip(payload, cursor, fields: frame.value == 0x1C ? 2 : 1),
                      let reason = QUICVarint.read(payload, at: next), reason.value <= UInt64(payload.byteCount - next - reason.length) else { return false }
                cursor = next + reason.length + Int(reason.value)
            default:
                return false
            }
        }
        return true
    }

    /// The offset after `fields` varints from `cursor`; nil when truncated.
    private func skip(_ bytes: RawSpan, _ cursor: Int, fields: Int) -> Int? {
        var position = cursor
        for _ in 0..<fields {
            guard let field = QUICVarint.read(bytes, at: position) else { return nil }
            position += field.length
        }
        return position
    }

    private func deliverMessages(fromClient: Bool) {
        // Who sent a hello is known from the keys that opened it, not from the ports.
        let recorder = self.recorder
        let role: Side = fromClient ? .client : .server
        let handle = { (type: UInt8, body: RawSpan) in recorder.message(type, body: body, from: role) }
        if fromClient { clientCrypto.takeMessages(handle) } else { serverCrypto.takeMessages(handle) }
        orientFact()
        if recorder.current?.serverHello != nil && recorder.current?.clientHello != nil {
            done = true
            recorder.complete()
        }
    }

    /// When the first Initial came from the side the ports called the server,
    /// the handshake's endpoints follow QUIC's roles.
    private func orientFact() {
        guard quicClient == .server else { return }
        let (client, server) = (context.server, context.client)
        recorder.update { fact in
            fact.client = client
            fact.server = server
        }
    }

    private func truncated(_ side: Side, at packet: PacketReference) -> Int? {
        problem(side, "QUIC long header truncated or with impossible lengths", at: packet)
        return nil
    }

    private func problem(_ side: Side, _ detail: String, at packet: PacketReference) {
        // One flow of garbage must not flood the report: the first few say enough.
        anomalies += 1
        guard anomalies <= 4 else { return }
        context.emitAnomaly(.quicInitialUndecryptable, from: side, detail, at: packet)
    }
}

