import Detectors
import Flows
import PacketDecoding
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
import WireBytes

/// One flow's live state. A class so the reassembler's callbacks can reach
/// the TLS streams of the same flow without copying it.
final class FlowState {
    let id: Int
    let file: Int
    let transport: UInt8
    private(set) var client: Endpoint
    private(set) var server: Endpoint
    let first: PacketReference
    private(set) var last: PacketReference
    private(set) var packets = 0
    private(set) var clientBytes: UInt64 = 0
    private(set) var serverBytes: UInt64 = 0
    var closedAt: Int64?
    private(set) var clientFIN = false
    private(set) var serverFIN = false
    private(set) var hitMemoryCap = false

    private var clientStream: TCPStreamReassembler
    private var serverStream: TCPStreamReassembler
    private var clientTLS = TLSRecordStream()
    private var serverTLS = TLSRecordStream()
    /// False once both directions are encrypted or not TLS: later packets are
    /// only counted, which keeps bulk transfers cheap.
    private(set) var inspecting = true
    private var handshakes: [HandshakeFact] = []
    private var current: HandshakeFact?
    private var sawTLS = false
    private var sawTLCP = false

    private let certificates: CertificateCache
    private let inspection: PlaintextInspection?
    /// Set once a direction turned out not to be TLS and PI inspection is on.
    private var plaintext: PlaintextAnalyzer?
    /// After a proxy accepted CONNECT, both directions go back to TLS detection.
    private var tunnelRouted = false
    private var udpIsQUIC: Bool?
    private var udpBytesInspected = 0

    /// A QUIC long-header packet (RFC 9000 §17.2): header form and fixed bits
    /// set, then a known version (1, 2, or a draft).
    static func looksLikeQUIC(_ payload: RawSpan) -> Bool {
        guard payload.byteCount >= 7 else { return false }
        let first = payload.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        guard first & 0xC0 == 0xC0 else { return false }
        var version: UInt32 = 0
        for index in 1...4 { version = version << 8 | UInt32(payload.unsafeLoad(fromByteOffset: index, as: UInt8.self)) }
        return version == 0x0000_0001 || version == 0x6B33_43CF || version & 0xFFFF_FF00 == 0xFF00_0000 || version == 0
    }

    init(id: Int, file: Int, transport: UInt8, client: Endpoint, server: Endpoint, first: PacketReference, limits: DissectionLimits,
         certificates: CertificateCache, inspection: PlaintextInspection?) {
        self.certificates = certificates
        self.inspection = inspection
        self.id = id
        self.file = file
        self.transport = transport
        self.client = client
        self.server = server
        self.first = first
        self.last = first
        clientStream = TCPStreamReassembler(maximumPendingBytes: limits.perFlowHeldBytes)
        serverStream = TCPStreamReassembler(maximumPendingBytes: limits.perFlowHeldBytes)
    }

    /// Decides who is the client from the first packet: the sender of a bare
    /// SYN, the receiver of a SYN-ACK, otherwise the side with the ephemeral
    /// (higher, non-well-known) port. A ClientHello later overrides this.
    func orient(firstPacket packet: DecodedPacket, source: Endpoint, destination: Endpoint) {
        var clientIsSource = true
        if packet.transport == DecodedPacket.tcp && packet.tcpFlags.contains(.syn) {
            clientIsSource = !packet.tcpFlags.contains(.ack)
        } else if Self.looksLikeServerPort(source.port) && !Self.looksLikeServerPort(destination.port) {
            clientIsSource = false
        } else if !Self.looksLikeServerPort(destination.port) && source.port < destination.port && source.port < 1024 {
            clientIsSource = false
        }
        client = clientIsSource ? source : destination
        server = clientIsSource ? destination : source
    }

    static func looksLikeServerPort(_ port: UInt16) -> Bool {
        port < 1024 || [1080, 3128, 5222, 5223, 8000, 8080, 8443, 8883, 9443].contains(port)
    }

    /// Set while a reassembler is delivering: the swap waits until it returns.
    private var roleSwapPending = false

    private func swapRoles() {
        swap(&client, &server)
        swap(&clientStream, &serverStream)
        swap(&clientTLS, &serverTLS)
        swap(&clientBytes, &serverBytes)
        swap(&clientFIN, &serverFIN)
    }

    func udpDatagram(from source: Endpoint, payload: RawSpan, at reference: PacketReference) {
        packets += 1
        last = reference
        let fromClient = source == client
        if fromClient { clientBytes += UInt64(payload.byteCount) } else { serverBytes += UInt64(payload.byteCount) }
        guard let inspection, inspection.inspectUDP, payload.byteCount > 0 else { return }
        // QUIC is encrypted transport, not plaintext: decided on the flow's first datagram.
        if udpIsQUIC == nil { udpIsQUIC = Self.looksLikeQUIC(payload) }
        guard udpIsQUIC == false, udpBytesInspected < inspection.maximumRawBytesPerDirection else { return }
        udpBytesInspected += payload.byteCount
        let analyzer = plaintext ?? PlaintextAnalyzer(inspection: inspection, flow: id, file: file)
        plaintext = analyzer
        let dns = [53, 5353, 5355].contains(client.port) || [53, 5353, 5355].contains(server.port)
        analyzer.inspectDatagram(payload, fromClient: fromClient, dns: dns, at: reference)
    }

    func tcpSegment(_ packet: DecodedPacket, from source: Endpoint, payload: RawSpan, at reference: PacketReference,
                    heldBytes: inout Int, limits: DissectionLimits) {
        packets += 1
        last = reference
        let fromClient = source == client
        if fromClient { clientBytes += UInt64(payload.byteCount) } else { serverBytes += UInt64(payload.byteCount) }
        if packet.tcpFlags.contains(.fin) {
            if fromClient { clientFIN = true } else { serverFIN = true }
        }
        guard inspecting else { return }
        let syn = packet.tcpFlags.contains(.syn)
        let fin = packet.tcpFlags.contains(.fin)
        let limit = limits.globalHeldBytes
        if fromClient {
            clientStream.segment(sequence: packet.sequence, syn: syn, fin: fin, payload: payload, packet: reference.packet,
                                 globalHeldBytes: &heldBytes, globalHeldLimit: limit,
                                 onData: { bytes, number in self.deliver(bytes, fromClient: true, packet: number, time: reference.timeNanos) },
                                 onGap: { _ in self.gap(fromClient: true) })
            if packet.tcpFlags.contains(.ack) {
                serverStream.peerAcknowledged(packet.acknowledgement, globalHeldBytes: &heldBytes,
                                              onData: { bytes, number in self.deliver(bytes, fromClient: false, packet: number, time: reference.timeNanos) },
                                              onGap: { _ in self.gap(fromClient: false) })
            }
        } else {
            serverStream.segment(sequence: packet.sequence, syn: syn, fin: fin, payload: payload, packet: reference.packet,
                                 globalHeldBytes: &heldBytes, globalHeldLimit: limit,
                                 onData: { bytes, number in self.deliver(bytes, fromClient: false, packet: number, time: reference.timeNanos) },
                                 onGap: { _ in self.gap(fromClient: false) })
            if packet.tcpFlags.contains(.ack) {
                clientStream.peerAcknowledged(packet.acknowledgement, globalHeldBytes: &heldBytes,
                                              onData: { bytes, number in self.deliver(bytes, fromClient: true, packet: number, time: reference.timeNanos) },
                                              onGap: { _ in self.gap(fromClient: true) })
            }
        }
        if roleSwapPending {
            roleSwapPending = false
            swapRoles()
        }
        if heldBytes > limit { hitMemoryCap = true }
        if !clientTLS.wantsBytes && !serverTLS.wantsBytes && plaintext == nil {
            stopInspecting(heldBytes: &heldBytes)
        }
    }

    private func stopInspecting(heldBytes: inout Int) {
        inspecting = false
        clientStream.release(globalHeldBytes: &heldBytes)
        serverStream.release(globalHeldBytes: &heldBytes)
    }

    private func gap(fromClient: Bool) {
        if fromClient { clientTLS.noteGap() } else { serverTLS.noteGap() }
        plaintext?.noteGap(fromClient: fromClient)
    }

    /// Bytes of a direction that is not TLS go to the plaintext analyzer
    /// (created on first need), including those the TLS probe held back.
    private func feedPlaintext(_ bytes: RawSpan, fromClient: Bool, at reference: PacketReference, wasProbing: Bool) {
        guard let inspection else { return }
        let analyzer = plaintext ?? PlaintextAnalyzer(inspection: inspection, flow: id, file: file)
        plaintext = analyzer
        if wasProbing {
            let held = fromClient ? clientTLS.takeUnclaimedBytes() : serverTLS.takeUnclaimedBytes()
            held.withUnsafeBytes { analyzer.feed(RawSpan(_unsafeBytes: $0), fromClient: fromClient, at: reference) }
        } else {
            analyzer.feed(bytes, fromClient: fromClient, at: reference)
        }
        if analyzer.tunnelOpened && !tunnelRouted {
            tunnelRouted = true
            clientTLS = TLSRecordStream()
            serverTLS = TLSRecordStream()
        }
    }

    private func deliver(_ bytes: RawSpan, fromClient: Bool, packet: Int, time: Int64) {
        let reference = PacketReference(file: file, packet: packet, timeNanos: time)
        if fromClient {
            if clientTLS.phase == .notTLS { return feedPlaintext(bytes, fromClient: true, at: reference, wasProbing: false) }
            let events = clientTLS.feed(bytes)
            for event in events { handle(event, from: .client, at: reference) }
            if clientTLS.phase == .notTLS { feedPlaintext(bytes, fromClient: true, at: reference, wasProbing: true) }
        } else {
            if serverTLS.phase == .notTLS { return feedPlaintext(bytes, fromClient: false, at: reference, wasProbing: false) }
            let events = serverTLS.feed(bytes)
            for event in events { handle(event, from: .server, at: reference) }
            if serverTLS.phase == .notTLS { feedPlaintext(bytes, fromClient: false, at: reference, wasProbing: true) }
        }
    }

    private func handshake() -> HandshakeFact {
        current ?? HandshakeFact(flow: id, file: file, client: client, server: server)
    }

    private func handle(_ event: TLSStreamEvent, from side: Side, at reference: PacketReference) {
        sawTLS = true
        var fact = handshake()
        defer { current = fact }
        switch event {
        case .sslv2ClientHello(let body):
            if side == .server { adoptServerSideClientHello(&fact) }
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try ClientHello(sslv2Message: &reader) }) {
            case .failure(let error): record(error, "SSL 2.0 ClientHello", side: .client, at: reference, into: &fact)
            case .success(let hello):
                fact.clientHello = hello
                fact.clientHelloAt = reference
            }
        case .handshake(let type, let body, _):
            handleHandshake(type: type, body: body, from: side, at: reference, into: &fact)
        case .changeCipherSpec:
            break
        case .alert(let level, let description):
            fact.alerts.append(ObservedAlert(sender: side, level: level, description: AlertDescription(rawValue: description), at: reference))
        case .encrypted:
            if side == .server { fact.sawEncryptedServerRecords = true } else { fact.sawEncryptedClientRecords = true }
        case .malformed(let message):
            fact.errors.append(ObservedError(sender: side, message: message, at: reference))
        case .resynchronised:
            break
        }
    }

    /// A ClientHello from the side we took for the server: the first packet
    /// misled us. Swap roles if nothing was recorded yet.
    private func adoptServerSideClientHello(_ fact: inout HandshakeFact) {
        guard fact.clientHello == nil && fact.serverHello == nil, !roleSwapPending else { return }
        roleSwapPending = true
        fact.client = server
        fact.server = client
    }

    private func decode<Message>(_ body: [UInt8], _ make: (inout ByteReader) throws(ParseError) -> Message) -> Result<Message, ParseError> {
        body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<Message, ParseError> in
            var reader = ByteReader(RawSpan(_unsafeBytes: raw))
            do throws(ParseError) {
                return .success(try make(&reader))
            } catch {
                return .failure(error)
            }
        }
    }

    private func record(_ error: ParseError, _ what: String, side: Side, at reference: PacketReference, into fact: inout HandshakeFact) {
        fact.errors.append(ObservedError(sender: side, message: "\(what): \(error)", at: reference))
    }

    private func handleHandshake(type: UInt8, body: [UInt8], from side: Side, at reference: PacketReference, into fact: inout HandshakeFact) {
        switch (type, side) {
        case (1, _):
            if side == .server {
                adoptServerSideClientHello(&fact)
                if fact.clientHello != nil { return }
            }
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try ClientHello(parsing: &reader) }) {
            case .failure(let error):
                record(error, "ClientHello", side: .client, at: reference, into: &fact)
            case .success(let hello):
                if fact.clientHello == nil {
                    fact.clientHello = hello
                    fact.clientHelloAt = reference
                } else if fact.helloRetryRequested && fact.retriedClientHello == nil {
                    fact.retriedClientHello = hello
                    fact.retriedClientHelloAt = reference
                } else {
                    // A new handshake on the same connection (renegotiation in the clear).
                    handshakes.append(fact)
                    fact = HandshakeFact(flow: id, file: file, client: client, server: server)
                    fact.clientHello = hello
                    fact.clientHelloAt = reference
                }
            }
        case (2, .server):
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try ServerHello(parsing: &reader) }) {
            case .failure(let error):
                record(error, "ServerHello", side: .server, at: reference, into: &fact)
            case .success(let hello):
                if hello.isHelloRetryRequest {
                    fact.helloRetryRequested = true
                } else {
                    fact.serverHello = hello
                    fact.serverHelloAt = reference
                }
                if hello.negotiatedVersion.isTLCP { sawTLCP = true }
                // TLS 1.3's compatibility ChangeCipherSpec from the client switches nothing.
                clientTLS.changeCipherSpecEncrypts = hello.negotiatedVersion < .tls13
            }
        case (11, _):
            let format: CertificateFormat = fact.negotiatedVersion == .tls13 ? .tls13
                : (fact.negotiatedVersion?.isTLCP == true ? .tlcp : .tls12)
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try CertificateMessage(parsing: &reader, format: format) }) {
            case .failure(let error):
                record(error, "Certificate", side: side, at: reference, into: &fact)
            case .success(let message):
                let parsed = message.certificates.map { certificates.parse($0) }
                if side == .server {
                    fact.serverCertificates = parsed
                    fact.serverCertificatesAt = reference
                } else {
                    fact.clientCertificates = parsed
                    fact.clientCertificatesAt = reference
                }
            }
        case (12, .server):
            // Without the ServerHello (capture started mid-handshake) the layout is unknown.
            guard let hello = fact.serverHello else { return }
            let info = hello.cipherSuite.info
            let result = decode(body) { (reader: inout ByteReader) throws(ParseError) in
                try ServerKeyExchange(parsing: &reader, keyExchange: info?.keyExchange ?? .unknown,
                                      authentication: info?.authentication ?? .unknown, version: hello.negotiatedVersion)
            }
            switch result {
            case .failure(let error): record(error, "ServerKeyExchange", side: .server, at: reference, into: &fact)
            case .success(let message):
                fact.serverKeyExchange = message
                fact.serverKeyExchangeAt = reference
            }
        case (13, .server):
            let version = fact.negotiatedVersion ?? .tls12
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try CertificateRequest(parsing: &reader, version: version) }) {
            case .failure(let error): record(error, "CertificateRequest", side: .server, at: reference, into: &fact)
            case .success(let message):
                fact.certificateRequest = message
                fact.certificateRequestAt = reference
            }
        case (15, .client):
            let version = fact.negotiatedVersion ?? .tls12
            switch decode(body, { (reader: inout ByteReader) throws(ParseError) in try CertificateVerify(parsing: &reader, version: version) }) {
            case .failure(let error): record(error, "CertificateVerify", side: .client, at: reference, into: &fact)
            case .success(let message):
                fact.clientCertificateVerify = message
                fact.clientCertificateVerifyAt = reference
            }
        default:
            break
        }
    }

    func flush(heldBytes: inout Int) {
        guard inspecting else { return }
        let time = last.timeNanos
        clientStream.flush(globalHeldBytes: &heldBytes,
                           onData: { bytes, number in self.deliver(bytes, fromClient: true, packet: number, time: time) },
                           onGap: { _ in self.gap(fromClient: true) })
        serverStream.flush(globalHeldBytes: &heldBytes,
                           onData: { bytes, number in self.deliver(bytes, fromClient: false, packet: number, time: time) },
                           onGap: { _ in self.gap(fromClient: false) })
        // Directions still searching for a first TLS record never found one.
        let end = PacketReference(file: file, packet: last.packet, timeNanos: time)
        if clientTLS.phase == .probing {
            clientTLS.concludeProbe()
            if clientTLS.phase == .notTLS { feedPlaintext(RawSpan(), fromClient: true, at: end, wasProbing: true) }
        }
        if serverTLS.phase == .probing {
            serverTLS.concludeProbe()
            if serverTLS.phase == .notTLS { feedPlaintext(RawSpan(), fromClient: false, at: end, wasProbing: true) }
        }
        stopInspecting(heldBytes: &heldBytes)
    }

    func facts() -> (FlowFact, [HandshakeFact], [PIObservation]) {
        plaintext?.finish(at: last)
        if let current { handshakes.append(current) }
        current = nil
        let meaningful = handshakes.filter { $0.clientHello != nil || $0.serverHello != nil || !$0.serverCertificates.isEmpty || !$0.errors.isEmpty || !$0.alerts.isEmpty }
        let application: FlowApplication
        if transport == DecodedPacket.udp { application = .udp }
        else if sawTLCP { application = .tlcp }
        else if sawTLS { application = .tls }
        else if clientBytes + serverBytes == 0 { application = .empty }
        else { application = .plaintext }
        let statistics = [clientStream.statistics, serverStream.statistics]
        let fact = FlowFact(
            id: id, file: file, transport: transport, client: client, server: server, first: first, last: last,
            packets: packets, clientBytes: clientBytes, serverBytes: serverBytes, application: application,
            serverName: meaningful.lazy.compactMap(\.serverName).first ?? plaintext?.host,
            serverNameSource: meaningful.contains { $0.serverName != nil } ? "sni" : (plaintext?.host != nil ? "http_host" : nil),
            startedMidStream: transport == DecodedPacket.tcp && !clientStream.sawSYN && !serverStream.sawSYN,
            sawSYN: clientStream.sawSYN || serverStream.sawSYN,
            retransmittedBytes: statistics.reduce(0) { $0 + $1.retransmittedBytes },
            outOfOrderSegments: statistics.reduce(0) { $0 + $1.outOfOrderSegments },
            gaps: statistics.reduce(0) { $0 + $1.gaps },
            gapBytes: statistics.reduce(0) { $0 + $1.gapBytes },
            conflictingOverlaps: statistics.reduce(0) { $0 + $1.conflictingOverlaps },
            conflictPackets: (clientStream.conflictPackets + serverStream.conflictPackets).sorted(),
            droppedForMemory: statistics.reduce(0) { $0 + $1.droppedForMemory },
            plaintextProtocol: application == .plaintext || application == .udp ? plaintext?.protocolName : nil)
        return (fact, application == .plaintext ? [] : meaningful, plaintext?.observations ?? [])
    }
}
