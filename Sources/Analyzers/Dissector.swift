import Facts
import Flows
import PacketDecoding
import ProtocolHTTP
import WireBytes

/// Limits that keep memory flat on any input. Hits are counted in the report.
public struct DissectionLimits: Sendable {
    public var tcpIdleTimeoutNanos: Int64 = 300_000_000_000
    public var closedTimeoutNanos: Int64 = 30_000_000_000
    public var udpIdleTimeoutNanos: Int64 = 120_000_000_000
    public var perFlowHeldBytes = 1 << 20
    public var globalHeldBytes = 64 << 20
    /// Open flows beyond this are finished early, least recently active first.
    public var maximumOpenFlows = 262_144
    public var fragmentTimeoutNanos: Int64 = 30_000_000_000
    public var maximumPendingFragmentedDatagrams = 16_384
    public var fragmentHeldBytes = 16 << 20
    /// The HTTP parser's caps (head, fields, body, decompression).
    public var http = HTTPLimits()
    public init() {}
}

/// The engine's middle: packets → flows → analyzers, emitting what they
/// learn as `FactEvent`s to a sink as they learn it. The file, live and CI
/// modes all push packets through one of these.
public final class Dissector {
    public let limits: DissectionLimits
    public let registry: AnalyzerRegistry
    private let environment: AnalyzerEnvironment
    private var table: [FlowKey: FlowState] = [:]
    /// The flow of the previous packet: consecutive packets mostly belong to
    /// the same flow, and comparing a key is cheaper than hashing it.
    private var lastKey: FlowKey?
    private var lastFlow: FlowState?
    private var fragments = FragmentReassembler()
    private var fragmentsDroppedInEarlierFiles = 0
    private var expiry = FlowExpiry()
    private var fragmentDropsInEarlierFiles = [Int](repeating: 0, count: FragmentReassembler.DropReason.allCases.count)
    private var nextFlowID = 1
    private var heldBytes = 0
    private var lastSweepNanos: Int64 = 0
    private var packetsSinceSweep = 0
    private var currentFile = 0
    public private(set) var statistics = DissectionStatistics()

    /// `sink` receives every event; `inspection` is nil when PI inspection is off.
    public init(limits: DissectionLimits = DissectionLimits(), inspection: PlaintextInspection? = nil,
                registry: AnalyzerRegistry = .standard, sink: any FactSink, counters: LimitCounters = LimitCounters()) {
        self.limits = limits
        self.registry = registry
        environment = AnalyzerEnvironment(sink: sink, inspection: inspection, limits: counters, httpLimits: limits.http)
        fragments = Self.makeReassembler(limits)
    }

    /// The run's cap hits (fragments and flows included once `finish` or `finishAllFlows` ran).
    public var counters: LimitCounters { environment.limits }

    /// Flows never span files: call between inputs.
    public func beginFile(_ index: Int) {
        finishAllFlows()
        currentFile = index
    }

    /// Ends every open flow (end of an input, or end of a live capture).
    /// Fragments still waiting for their missing pieces are lost with it, and counted.
    public func finishAllFlows() {
        let open = table.values.sorted { $0.context.id < $1.context.id }
        table.removeAll()
        expiry.removeAll()
        forgetLastFlow()
        for flow in open { finish(flow) }
        fragments.dropAllPending()
        fragmentsDroppedInEarlierFiles += fragments.datagramsDropped
        for reason in FragmentReassembler.DropReason.allCases { fragmentDropsInEarlierFiles[reason.rawValue] += fragments.dropped(reason) }
        fragments = Self.makeReassembler(limits)
        statistics.fragmentsDropped = fragmentsDroppedInEarlierFiles
        updateCounters()
    }

    static func makeReassembler(_ limits: DissectionLimits) -> FragmentReassembler {
        var reassembler = FragmentReassembler()
        reassembler.timeoutNanos = limits.fragmentTimeoutNanos
        reassembler.maximumPending = limits.maximumPendingFragmentedDatagrams
        reassembler.maximumHeldBytes = limits.fragmentHeldBytes
        return reassembler
    }

    /// The fragment and flow tables count their own drops; the run's counters mirror them.
    private func updateCounters() {
        let counters = environment.limits
        let byReason: [(FragmentReassembler.DropReason, Limit)] = [
            (.timeout, .fragmentTimeout), (.tooManyPending, .fragmentPending), (.heldBytes, .fragmentHeldBytes),
            (.oversize, .fragmentOversize), (.overlapFlood, .fragmentOverlap), (.incompleteAtEnd, .fragmentIncomplete),
        ]
        for (reason, limit) in byReason { counters.set(limit, count: fragmentDropsInEarlierFiles[reason.rawValue] + fragments.dropped(reason)) }
        counters.set(.openFlows, count: statistics.flowsEvicted)
        counters.set(.reassemblyMemory, count: statistics.segmentsDroppedForMemory)
    }

    /// Ends the run: every flow is closed and its events emitted.
    public func finish() -> DissectionStatistics {
        finishAllFlows()
        return statistics
    }

    /// The capture clock that drives idle timeouts. It follows packet times
    /// but ignores forward jumps of more than a day, so one corrupt timestamp
    /// cannot expire every open flow.
    private var clockNanos: Int64?
    static let maximumClockJump: Int64 = 86_400 * 1_000_000_000

    public func process(packet number: Int, timeNanos: Int64, linkType: UInt32, interface: Int = 0, bytes: RawSpan) {
        statistics.packets += 1
        if let clock = clockNanos {
            let step = elapsedNanos(timeNanos, since: clock)
            if step > 0 {
                if step <= Self.maximumClockJump { clockNanos = timeNanos } else { statistics.clockJumps += 1 }
            }
        } else {
            clockNanos = timeNanos
        }
        let reference = PacketReference(file: currentFile, packet: number, timeNanos: timeNanos, interface: interface)
        switch PacketDecoder.decode(linkType: linkType, bytes) {
        case .packet(let decoded):
            handle(decoded, payload: bytes.extracting(decoded.payloadOffset..<(decoded.payloadOffset + decoded.payloadLength)), at: reference)
        case .fragment(let piece):
            statistics.ipPackets += 1
            if let (payload, _) = fragments.add(piece, bytes: bytes, packet: number, timeNanos: timeNanos) {
                statistics.fragmentsReassembled += 1
                var decoded = DecodedPacket(source: piece.key.source, destination: piece.key.destination, transport: piece.key.transport)
                payload.withUnsafeBytes { raw in
                    var reader = ByteReader(RawSpan(_unsafeBytes: raw))
                    if case .packet(let whole)? = try? PacketDecoder.decodeTransport(&decoded, &reader, announcedLength: payload.count) {
                        handle(whole, payload: RawSpan(_unsafeBytes: raw).extracting(whole.payloadOffset..<(whole.payloadOffset + whole.payloadLength)),
                               at: reference)
                    }
                }
            }
        case .ignored:
            statistics.otherPackets += 1
        case .malformed:
            statistics.malformedPackets += 1
        case .unsupportedLinkType:
            statistics.unsupportedLinkPackets += 1
        }
        packetsSinceSweep += 1
        let now = clockNanos ?? timeNanos
        if packetsSinceSweep >= 4096 || elapsedNanos(now, since: lastSweepNanos) > 10_000_000_000 {
            sweep(now: now)
        }
    }

    /// The flow a packet belongs to, created (and oriented) on its first packet.
    private func flowState(for packet: DecodedPacket, source: Endpoint, destination: Endpoint, at reference: PacketReference) -> FlowState {
        let key = FlowKey(source, destination, transport: packet.transport)
        if let existing = lastKey == key ? lastFlow : table[key] {
            // A fresh SYN on a connection that already closed reuses the port
            // pair for a new connection (TIME_WAIT reuse): finish the old one.
            let reopens = packet.transport == DecodedPacket.tcp && packet.tcpFlags.contains(.syn)
                && !packet.tcpFlags.contains(.ack) && existing.closedAt != nil
            guard reopens else {
                lastKey = key
                lastFlow = existing
                return existing
            }
            table[key] = nil
            forgetLastFlow()
            finish(existing)
        }
        let (client, server) = FlowState.orientation(firstPacket: packet, source: source, destination: destination)
        let context = FlowContext(id: nextFlowID, file: currentFile, transport: packet.transport, client: client, server: server,
                                  environment: environment)
        let flow = FlowState(context: context, transport: packet.transport, first: reference, limits: limits, registry: registry)
        nextFlowID += 1
        table[key] = flow
        expiry.enqueue(key, flow: context.id, stamp: reference.timeNanos, in: packet.transport == DecodedPacket.udp ? .udp : .openTCP)
        lastKey = key
        lastFlow = flow
        environment.sink.receive(.flowOpened(FlowOpened(id: context.id, file: currentFile, transport: packet.transport,
                                                        client: client, server: server, first: reference)))
        return flow
    }

    private func handle(_ packet: DecodedPacket, payload: RawSpan, at reference: PacketReference) {
        statistics.ipPackets += 1
        let source = Endpoint(address: packet.source, port: packet.sourcePort)
        let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
        switch packet.transport {
        case DecodedPacket.tcp:
            statistics.tcpPackets += 1
            let flow = flowState(for: packet, source: source, destination: destination, at: reference)
            flow.tcpSegment(packet, from: source, payload: payload, at: reference, heldBytes: &heldBytes, limits: limits)
            statistics.peakHeldBytes = max(statistics.peakHeldBytes, heldBytes)
            if flow.closedAt == nil, packet.tcpFlags.contains(.rst) || (flow.clientFIN && flow.serverFIN) {
                flow.closedAt = reference.timeNanos
                expiry.enqueue(FlowKey(source, destination, transport: packet.transport), flow: flow.context.id,
                               stamp: reference.timeNanos, in: .closedTCP)
            }
        case DecodedPacket.udp:
            statistics.udpPackets += 1
            let flow = flowState(for: packet, source: source, destination: destination, at: reference)
            flow.udpDatagram(from: source, payload: payload, at: reference)
        default:
            statistics.otherPackets += 1
        }
    }

    /// Flows seen so far, for progress output.
    public var flowsSeen: Int { nextFlowID - 1 }

    private func timeout(of kind: FlowExpiry.Class) -> Int64 {
        switch kind {
        case .udp: limits.udpIdleTimeoutNanos
        case .openTCP: limits.tcpIdleTimeoutNanos
        case .closedTCP: limits.closedTimeoutNanos
        }
    }

    private func timeoutClass(of flow: FlowState) -> FlowExpiry.Class {
        flow.transport == DecodedPacket.udp ? .udp : flow.closedAt != nil ? .closedTCP : .openTCP
    }

    /// Finishes idle flows and, past `maximumOpenFlows`, the least recently
    /// active ones; costs what it finishes and re-queues, not what is open.
    private func sweep(now: Int64) {
        packetsSinceSweep = 0
        lastSweepNanos = now
        fragments.expire(now: now)
        var finished: [FlowState] = []
        for kind in FlowExpiry.Class.allCases {
            let limit = timeout(of: kind)
            while let head = expiry.head(of: kind), elapsedNanos(now, since: head.stamp) > limit {
                _ = expiry.pop(kind)
                guard let flow = table[head.key], flow.context.id == head.flow, timeoutClass(of: flow) == kind else { continue }
                if elapsedNanos(now, since: flow.last.timeNanos) > limit {
                    table[head.key] = nil
                    finished.append(flow)
                    statistics.flowsExpired += 1
                } else {
                    expiry.enqueue(head.key, flow: head.flow, stamp: flow.last.timeNanos, in: kind)
                }
            }
        }
        // Too many open flows (a scan, a flood of short connections): finish the
        // least recently active down to nine tenths of the cap rather than grow without bound.
        if table.count > limits.maximumOpenFlows {
            let target = limits.maximumOpenFlows - limits.maximumOpenFlows / 10
            while table.count > target, let kind = expiry.oldestClass(), let head = expiry.pop(kind) {
                guard let flow = table[head.key], flow.context.id == head.flow, timeoutClass(of: flow) == kind else { continue }
                if flow.last.timeNanos == head.stamp {
                    table[head.key] = nil
                    finished.append(flow)
                    statistics.flowsEvicted += 1
                } else {
                    expiry.enqueue(head.key, flow: head.flow, stamp: flow.last.timeNanos, in: kind)
                }
            }
        }
        guard !finished.isEmpty else { return }
        forgetLastFlow()
        for flow in finished.sorted(by: { $0.context.id < $1.context.id }) { finish(flow) }
    }

    private func forgetLastFlow() {
        lastKey = nil
        lastFlow = nil
    }

    private func finish(_ flow: FlowState) {
        flow.flush(heldBytes: &heldBytes)
        let fact = flow.close()
        statistics.segmentsDroppedForMemory += fact.droppedForMemory
        if flow.hitMemoryCap { statistics.flowsHitMemoryCap += 1 }
        environment.sink.receive(.flowClosed(fact))
    }

}
