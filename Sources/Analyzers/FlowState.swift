import Facts
import Flows
import PacketDecoding
import WireBytes

/// One flow's live state: orientation, counters, the two reassemblers, and
/// which analyzer each side feeds. Protocol knowledge lives in the analyzers;
/// a side is probed by content until one claims it.
final class FlowState {
    let context: FlowContext
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

    /// Both directions' reassemblers, made when the first segment with payload
    /// arrives: a flow that never carries a byte (a SYN flood, a scan) costs
    /// only its counters and the initial sequence numbers its SYNs gave.
    private final class Streams {
        var client: TCPStreamReassembler
        var server: TCPStreamReassembler

        init(maximumPendingBytes: Int) {
            client = TCPStreamReassembler(maximumPendingBytes: maximumPendingBytes)
            server = TCPStreamReassembler(maximumPendingBytes: maximumPendingBytes)
        }
    }

    private var streams: Streams?
    private var clientISN: UInt32?
    private var serverISN: UInt32?
    private let maximumPendingBytes: Int
    /// False once no side wants bytes (both encrypted, or ignored): later
    /// packets are only counted, which keeps bulk transfers cheap.
    private(set) var inspecting = true

    private enum Slot {
        case probing
        case attached(Int)
        case done
    }

    private struct SideProbe {
        var slot = Slot.probing
        /// Bytes held while the probes decide, and where each delivery began in them
        /// (so the analyzer that wins still learns which packet carried which bytes).
        var buffer: [UInt8] = []
        var deliveries: [(start: Int, reference: PacketReference)] = []
        /// The side may begin inside a message (mid-stream start, a gap, a lost record boundary).
        var afterGap = false

        mutating func hold(_ bytes: RawSpan, _ reference: PacketReference) {
            deliveries.append((buffer.count, reference))
            bytes.withUnsafeBytes { buffer.append(contentsOf: $0) }
        }

        mutating func take() -> (buffer: [UInt8], deliveries: [(start: Int, reference: PacketReference)]) {
            defer {
                buffer = []
                deliveries = []
            }
            return (buffer, deliveries)
        }
    }

    private let registry: AnalyzerRegistry
    private var clientSide = SideProbe()
    private var serverSide = SideProbe()
    private var analyzers: [any StreamAnalyzer] = []
    /// Which sides each analyzer has been given, parallel to `analyzers`.
    private var joined: [(client: Bool, server: Bool)] = []
    private var analyzerNames: [String] = []
    private var datagramAnalyzer: (any DatagramAnalyzer)?
    private var datagramProbed = false
    /// Set while a reassembler is delivering: the swap waits until it returns.
    private var roleSwapPending = false

    /// A side's probe buffer never grows past this: undecided probes are then asked to decide.
    static let maximumProbeBytes = 128 << 10

    init(context: FlowContext, transport: UInt8, first: PacketReference, limits: DissectionLimits, registry: AnalyzerRegistry) {
        self.context = context
        self.transport = transport
        self.client = context.client
        self.server = context.server
        self.first = first
        self.last = first
        self.registry = registry
        maximumPendingBytes = limits.perFlowHeldBytes
    }

    /// Decides who is the client from the first packet: the sender of a bare
    /// SYN, the receiver of a SYN-ACK, otherwise the side with the ephemeral
    /// (higher, non-well-known) port. A ClientHello later overrides this.
    static func orientation(firstPacket packet: DecodedPacket, source: Endpoint, destination: Endpoint) -> (client: Endpoint, server: Endpoint) {
        var clientIsSource = true
        if packet.transport == DecodedPacket.tcp && packet.tcpFlags.contains(.syn) {
            clientIsSource = !packet.tcpFlags.contains(.ack)
        } else if looksLikeServerPort(source.port) && !looksLikeServerPort(destination.port) {
            clientIsSource = false
        } else if !looksLikeServerPort(destination.port) && source.port < destination.port && source.port < 1024 {
            clientIsSource = false
        }
        return clientIsSource ? (source, destination) : (destination, source)
    }

    static func looksLikeServerPort(_ port: UInt16) -> Bool {
        port < 1024 || [1080, 3128, 5222, 5223, 8000, 8080, 8443, 8883, 9443].contains(port)
    }

    private func swapRoles() {
        swap(&client, &server)
        if let streams { swap(&streams.client, &streams.server) }
        swap(&clientISN, &serverISN)
        swap(&clientBytes, &serverBytes)
        swap(&clientFIN, &serverFIN)
        swap(&clientSide, &serverSide)
        joined = joined.map { ($0.server, $0.client) }
        context.client = client
        context.server = server
        for analyzer in analyzers { analyzer.rolesSwapped() }
    }

    // MARK: UDP

    func udpDatagram(from source: Endpoint, payload: RawSpan, at reference: PacketReference) {
        packets += 1
        last = reference
        let side: Side = source == client ? .client : .server
        if side == .client { clientBytes += UInt64(payload.byteCount) } else { serverBytes += UInt64(payload.byteCount) }
        guard payload.byteCount > 0 else { return }
        if !datagramProbed {
            datagramProbed = true
            if let type = registry.datagram.first(where: { $0.probe(payload, from: side) == .match }) {
                datagramAnalyzer = type.init(context: context)
                analyzerNames.append(type.name)
            } else if let fallback = registry.datagramFallback, context.environment.inspection?.inspectUDP == true {
                datagramAnalyzer = fallback.init(context: context)
                analyzerNames.append(fallback.name)
            }
        }
        datagramAnalyzer?.receive(payload, from: side, at: reference)
    }

    // MARK: TCP

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
        let limit = limits.globalHeldBytes
        guard let streams = streams ?? makeStreams(packet, fromClient: fromClient, payload: payload, heldBytes: &heldBytes, limit: limit) else { return }
        if fromClient {
            segment(packet, payload, from: .client, into: &streams.client, acknowledging: &streams.server, at: reference, heldBytes: &heldBytes, limit: limit)
        } else {
            segment(packet, payload, from: .server, into: &streams.server, acknowledging: &streams.client, at: reference, heldBytes: &heldBytes, limit: limit)
        }
        if roleSwapPending {
            roleSwapPending = false
            swapRoles()
        }
        if heldBytes > limit { hitMemoryCap = true }
        if case .done = clientSide.slot, case .done = serverSide.slot { stopInspecting(heldBytes: &heldBytes) }
    }

    /// Until a segment carries payload, only the SYNs' sequence numbers are
    /// kept; the reassemblers begin with them, as if they had seen the SYNs.
    private func makeStreams(_ packet: DecodedPacket, fromClient: Bool, payload: RawSpan, heldBytes: inout Int, limit: Int) -> Streams? {
        if packet.tcpFlags.contains(.syn) {
            if fromClient { clientISN = packet.sequence } else { serverISN = packet.sequence }
        }
        guard payload.byteCount > 0 else { return nil }
        let made = Streams(maximumPendingBytes: maximumPendingBytes)
        [UInt8]().withUnsafeBytes { raw in
            let empty = RawSpan(_unsafeBytes: raw)
            for (isn, isClient) in [(clientISN, true), (serverISN, false)] {
                // This segment's own SYN (data on a SYN) goes in with it, below.
                guard let isn, !(packet.tcpFlags.contains(.syn) && isClient == fromClient) else { continue }
                let ignoreData: (RawSpan, Int) -> Void = { _, _ in }
                if isClient {
                    made.client.segment(sequence: isn, syn: true, fin: false, payload: empty, packet: first.packet, globalHeldBytes: &heldBytes,
                                        globalHeldLimit: limit, onData: ignoreData, onGap: { _ in })
                } else {
                    made.server.segment(sequence: isn, syn: true, fin: false, payload: empty, packet: first.packet, globalHeldBytes: &heldBytes,
                                        globalHeldLimit: limit, onData: ignoreData, onGap: { _ in })
                }
            }
        }
        streams = made
        return made
    }

    /// A segment from `side` goes into its own reassembler; its acknowledgement
    /// tells the other side's reassembler what the sender received.
    private func segment(_ packet: DecodedPacket, _ payload: RawSpan, from side: Side, into stream: inout TCPStreamReassembler,
                         acknowledging peer: inout TCPStreamReassembler, at reference: PacketReference,
                         heldBytes: inout Int, limit: Int) {
        let time = reference.timeNanos
        let other = side.other
        stream.segment(sequence: packet.sequence, syn: packet.tcpFlags.contains(.syn), fin: packet.tcpFlags.contains(.fin),
                       payload: payload, packet: reference.packet, globalHeldBytes: &heldBytes, globalHeldLimit: limit,
                       onData: { bytes, number in self.deliver(bytes, from: side, packet: number, time: time) },
                       onGap: { _ in self.gap(from: side, at: reference) })
        if packet.tcpFlags.contains(.ack) {
            peer.peerAcknowledged(packet.acknowledgement, globalHeldBytes: &heldBytes,
                                  onData: { bytes, number in self.deliver(bytes, from: other, packet: number, time: time) },
                                  onGap: { _ in self.gap(from: other, at: reference) })
        }
    }

    private func stopInspecting(heldBytes: inout Int) {
        inspecting = false
        streams?.client.release(globalHeldBytes: &heldBytes)
        streams?.server.release(globalHeldBytes: &heldBytes)
    }

    private func deliver(_ bytes: RawSpan, from side: Side, packet: Int, time: Int64) {
        let reference = PacketReference(file: context.file, packet: packet, timeNanos: time, interface: last.interface)
        deliver(bytes, from: side, at: reference)
    }

    private func deliver(_ bytes: RawSpan, from side: Side, at reference: PacketReference) {
        switch (side == .client ? clientSide : serverSide).slot {
        case .done:
            return
        case .attached(let index):
            feed(index, bytes, from: side, at: reference)
        case .probing:
            probe(bytes, from: side, at: reference)
        }
    }

    // MARK: probing

    private enum Decision: Equatable {
        case attach(any StreamAnalyzer.Type)
        case wait
        case ignore

        static func == (lhs: Decision, rhs: Decision) -> Bool {
            switch (lhs, rhs) {
            case (.wait, .wait), (.ignore, .ignore): true
            case (.attach(let a), .attach(let b)): ObjectIdentifier(a) == ObjectIdentifier(b)
            default: false
            }
        }
    }

    private func decide(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> Decision {
        for type in registry.stream {
            switch type.probe(prefix, from: side, afterGap: afterGap, final: final) {
            case .match: return .attach(type)
            case .needMoreBytes: return .wait
            case .noMatch: continue
            }
        }
        if let fallback = registry.streamFallback, context.environment.inspection != nil { return .attach(fallback) }
        return .ignore
    }

    private func probe(_ bytes: RawSpan, from side: Side, at reference: PacketReference) {
        let afterGap = (side == .client ? clientSide : serverSide).afterGap
        if (side == .client ? clientSide : serverSide).buffer.isEmpty {
            // The common case decides on the segment itself, without a copy.
            switch decide(bytes, from: side, afterGap: afterGap, final: false) {
            case .attach(let type):
                attach(type, side, afterGap: afterGap)
                deliver(bytes, from: side, at: reference)
                return
            case .ignore:
                setSlot(.done, side)
                return
            case .wait:
                break
            }
        }
        if side == .client { clientSide.hold(bytes, reference) } else { serverSide.hold(bytes, reference) }
        let probe = side == .client ? clientSide : serverSide
        guard !probe.buffer.isEmpty, probe.deliveries.count > 1 || probe.buffer.count >= Self.maximumProbeBytes else { return }
        let final = probe.buffer.count >= Self.maximumProbeBytes
        let decision = probe.buffer.withUnsafeBytes { decide(RawSpan(_unsafeBytes: $0), from: side, afterGap: afterGap, final: final) }
        resolve(decision, side)
    }

    /// The side's probe must decide now (the flow ends, or a hole follows).
    private func concludeProbe(_ side: Side) {
        let probe = side == .client ? clientSide : serverSide
        guard case .probing = probe.slot, !probe.buffer.isEmpty else { return }
        let decision = probe.buffer.withUnsafeBytes { decide(RawSpan(_unsafeBytes: $0), from: side, afterGap: probe.afterGap, final: true) }
        resolve(decision == .wait ? .ignore : decision, side)
    }

    /// Acts on a decision about the bytes held: the winner gets them, delivery by delivery.
    private func resolve(_ decision: Decision, _ side: Side) {
        switch decision {
        case .wait:
            return
        case .ignore:
            _ = side == .client ? clientSide.take() : serverSide.take()
            setSlot(.done, side)
        case .attach(let type):
            let afterGap = (side == .client ? clientSide : serverSide).afterGap
            let (held, deliveries) = side == .client ? clientSide.take() : serverSide.take()
            attach(type, side, afterGap: afterGap)
            held.withUnsafeBytes { raw in
                let all = RawSpan(_unsafeBytes: raw)
                for (index, delivery) in deliveries.enumerated() {
                    let end = index + 1 < deliveries.count ? deliveries[index + 1].start : held.count
                    deliver(all.extracting(delivery.start..<end), from: side, at: delivery.reference)
                }
            }
        }
    }

    private func setSlot(_ slot: Slot, _ side: Side) {
        if side == .client { clientSide.slot = slot } else { serverSide.slot = slot }
    }

    /// Joins the flow's analyzer of that type if it has not heard from this
    /// side yet (the other side probed to it first), else starts a new one.
    private func attach(_ type: any StreamAnalyzer.Type, _ side: Side, afterGap: Bool) {
        let index: Int
        if let existing = analyzers.indices.last(where: { ObjectIdentifier(Swift.type(of: analyzers[$0])) == ObjectIdentifier(type)
                                                        && !(side == .client ? joined[$0].client : joined[$0].server) }) {
            index = existing
        } else {
            index = analyzers.count
            analyzers.append(type.init(context: context))
            joined.append((false, false))
            if analyzerNames.last != type.name { analyzerNames.append(type.name) }
        }
        if side == .client { joined[index].client = true } else { joined[index].server = true }
        analyzers[index].attach(side, afterGap: afterGap)
        setSlot(.attached(index), side)
    }

    private func feed(_ index: Int, _ bytes: RawSpan, from side: Side, at reference: PacketReference) {
        var requests = FlowRequests()
        analyzers[index].receive(bytes, from: side, at: reference, requests: &requests)
        guard !requests.isEmpty else { return }
        if requests.stopClient { clientSide.slot = .done }
        if requests.stopServer { serverSide.slot = .done }
        if requests.swapRoles { roleSwapPending = true }
        if let held = requests.handOffClient { handOff(.client, held: held, at: reference) }
        if let held = requests.handOffServer { handOff(.server, held: held, at: reference) }
    }

    /// The rest of `side` is another protocol: probe it afresh, starting with what the analyzer held.
    private func handOff(_ side: Side, held: [UInt8], at reference: PacketReference) {
        if side == .client { clientSide = SideProbe() } else { serverSide = SideProbe() }
        guard !held.isEmpty else { return }
        held.withUnsafeBytes { probe(RawSpan(_unsafeBytes: $0), from: side, at: reference) }
    }

    private func gap(from side: Side, at reference: PacketReference) {
        switch (side == .client ? clientSide : serverSide).slot {
        case .attached(let index):
            analyzers[index].noteGap(from: side, at: reference)
        case .probing:
            // What was probed so far is judged on its own; after the hole the side is probed afresh.
            let (held, deliveries) = side == .client ? clientSide.take() : serverSide.take()
            if let first = deliveries.first {
                held.withUnsafeBytes { RawStreamScanner.scanOnce(RawSpan(_unsafeBytes: $0), from: side, first: first.reference,
                                                                  last: reference, in: context) }
            }
            if side == .client { clientSide.afterGap = true } else { serverSide.afterGap = true }
        case .done:
            break
        }
    }

    func flush(heldBytes: inout Int) {
        guard inspecting else { return }
        let time = last.timeNanos
        let end = last
        streams?.client.flush(globalHeldBytes: &heldBytes,
                              onData: { bytes, number in self.deliver(bytes, from: .client, packet: number, time: time) },
                              onGap: { _ in self.gap(from: .client, at: end) })
        streams?.server.flush(globalHeldBytes: &heldBytes,
                              onData: { bytes, number in self.deliver(bytes, from: .server, packet: number, time: time) },
                              onGap: { _ in self.gap(from: .server, at: end) })
        if roleSwapPending {
            roleSwapPending = false
            swapRoles()
        }
        concludeProbe(.client)
        concludeProbe(.server)
        stopInspecting(heldBytes: &heldBytes)
    }

    /// The registry names in joining order, each replaced by its instance's label where it has one.
    private func labelledAnalyzerNames() -> [String] {
        var names = analyzerNames
        for analyzer in analyzers {
            guard let label = analyzer.flowLabel else { continue }
            let name = Swift.type(of: analyzer).name
            if let index = names.firstIndex(of: name) { names[index] = label }
        }
        return names
    }

    /// Finishes every analyzer (they emit what they still hold) and describes the flow.
    func close() -> FlowFact {
        for analyzer in analyzers { analyzer.finish(at: last) }
        datagramAnalyzer?.finish(at: last)
        let application: FlowApplication
        let encryption = analyzers.compactMap(\.encryption)
        if transport == DecodedPacket.udp { application = .udp }
        else if encryption.contains(.tlcp) { application = .tlcp }
        else if encryption.contains(.tls) { application = .tls }
        else if clientBytes + serverBytes == 0 { application = .empty }
        else { application = .plaintext }
        var labels = analyzers.compactMap(\.plaintextProtocol)
        if let label = datagramAnalyzer?.plaintextProtocol { labels.append(label) }
        let statistics = streams.map { [$0.client.statistics, $0.server.statistics] } ?? []
        let sawSYN = (streams?.client.sawSYN ?? false) || (streams?.server.sawSYN ?? false) || clientISN != nil || serverISN != nil
        return FlowFact(
            id: context.id, file: context.file, transport: transport, client: client, server: server, first: first, last: last,
            packets: packets, clientBytes: clientBytes, serverBytes: serverBytes, application: application,
            startedMidStream: transport == DecodedPacket.tcp && !sawSYN,
            sawSYN: sawSYN,
            retransmittedBytes: statistics.reduce(0) { $0 + $1.retransmittedBytes },
            outOfOrderSegments: statistics.reduce(0) { $0 + $1.outOfOrderSegments },
            gaps: statistics.reduce(0) { $0 + $1.gaps },
            gapBytes: statistics.reduce(0) { $0 + $1.gapBytes },
            conflictingOverlaps: statistics.reduce(0) { $0 + $1.conflictingOverlaps },
            conflictPackets: ((streams?.client.conflictPackets ?? []) + (streams?.server.conflictPackets ?? [])).sorted(),
            droppedForMemory: statistics.reduce(0) { $0 + $1.droppedForMemory },
            plaintextProtocol: application == .plaintext || application == .udp ? labels.max() : nil,
            analyzers: labelledAnalyzerNames())
    }
}
