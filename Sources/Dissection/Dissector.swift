import Flows
import PacketDecoding
import ProtocolDNS
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
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
    public init() {}
}

/// The engine's middle: packets → flows → TLS streams → facts. The file,
/// live and CI modes all push packets through one of these.
public final class Dissector {
    public let limits: DissectionLimits
    private var table: [FlowKey: FlowState] = [:]
    private var fragments = FragmentReassembler()
    private var nextFlowID = 1
    private var heldBytes = 0
    private var lastSweepNanos: Int64 = 0
    private var packetsSinceSweep = 0
    private var currentFile = 0
    private let certificates = CertificateCache()
    public private(set) var result = DissectionResult()

    /// Nil when personal-information inspection is off.
    public let inspection: PlaintextInspection?

    public init(limits: DissectionLimits = DissectionLimits(), inspection: PlaintextInspection? = nil) {
        self.limits = limits
        self.inspection = inspection
    }

    /// Flows never span files: call between inputs.
    public func beginFile(_ index: Int) {
        finishAllFlows()
        currentFile = index
        fragments = FragmentReassembler()
    }

    /// Ends every open flow (end of an input, or end of a live capture).
    public func finishAllFlows() {
        let open = table.values.sorted { $0.id < $1.id }
        for flow in open { finish(flow) }
        table.removeAll()
    }

    public func finish() -> DissectionResult {
        finishAllFlows()
        result.flows.sort { $0.id < $1.id }
        result.handshakes.sort { ($0.flow, $0.firstReference?.packet ?? 0) < ($1.flow, $1.firstReference?.packet ?? 0) }
        result.personalInformation.sort { ($0.flow, $0.first.packet) < ($1.flow, $1.first.packet) }
        return result
    }

    /// The capture clock that drives idle timeouts. It follows packet times
    /// but ignores forward jumps of more than a day, so one corrupt timestamp
    /// cannot expire every open flow.
    private var clockNanos: Int64?
    static let maximumClockJump: Int64 = 86_400 * 1_000_000_000

    public func process(packet number: Int, timeNanos: Int64, linkType: UInt32, bytes: RawSpan) {
        result.statistics.packets += 1
        if let clock = clockNanos {
            let step = elapsedNanos(timeNanos, since: clock)
            if step > 0 {
                if step <= Self.maximumClockJump { clockNanos = timeNanos } else { result.statistics.clockJumps += 1 }
            }
        } else {
            clockNanos = timeNanos
        }
        switch PacketDecoder.decode(linkType: linkType, bytes) {
        case .packet(let decoded):
            handle(decoded, payload: bytes.extracting(decoded.payloadOffset..<(decoded.payloadOffset + decoded.payloadLength)),
                   number: number, timeNanos: timeNanos)
        case .fragment(let piece):
            result.statistics.ipPackets += 1
            if let (payload, _) = fragments.add(piece, bytes: bytes, packet: number, timeNanos: timeNanos) {
                result.statistics.fragmentsReassembled += 1
                var decoded = DecodedPacket(source: piece.key.source, destination: piece.key.destination, transport: piece.key.transport)
                payload.withUnsafeBytes { raw in
                    var reader = ByteReader(RawSpan(_unsafeBytes: raw))
                    if case .packet(let whole)? = try? PacketDecoder.decodeTransport(&decoded, &reader, announcedLength: payload.count) {
                        handle(whole, payload: RawSpan(_unsafeBytes: raw).extracting(whole.payloadOffset..<(whole.payloadOffset + whole.payloadLength)),
                               number: number, timeNanos: timeNanos)
                    }
                }
            }
        case .ignored:
            result.statistics.otherPackets += 1
        case .malformed:
            result.statistics.malformedPackets += 1
        case .unsupportedLinkType:
            result.statistics.unsupportedLinkPackets += 1
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
        if let existing = table[key] {
            // A fresh SYN on a connection that already closed reuses the port
            // pair for a new connection (TIME_WAIT reuse): finish the old one.
            let reopens = packet.transport == DecodedPacket.tcp && packet.tcpFlags.contains(.syn)
                && !packet.tcpFlags.contains(.ack) && existing.closedAt != nil
            guard reopens else { return existing }
            table[key] = nil
            finish(existing)
        }
        let flow = FlowState(id: nextFlowID, file: currentFile, transport: packet.transport, client: source, server: destination,
                             first: reference, limits: limits, certificates: certificates, inspection: inspection)
        flow.orient(firstPacket: packet, source: source, destination: destination)
        nextFlowID += 1
        table[key] = flow
        return flow
    }

    private func handle(_ packet: DecodedPacket, payload: RawSpan, number: Int, timeNanos: Int64) {
        result.statistics.ipPackets += 1
        let source = Endpoint(address: packet.source, port: packet.sourcePort)
        let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
        let reference = PacketReference(file: currentFile, packet: number, timeNanos: timeNanos)
        switch packet.transport {
        case DecodedPacket.tcp:
            result.statistics.tcpPackets += 1
            let flow = flowState(for: packet, source: source, destination: destination, at: reference)
            flow.tcpSegment(packet, from: source, payload: payload, at: reference, heldBytes: &heldBytes, limits: limits)
            result.statistics.peakHeldBytes = max(result.statistics.peakHeldBytes, heldBytes)
            if flow.closedAt == nil, packet.tcpFlags.contains(.rst) { flow.closedAt = timeNanos }
            if flow.closedAt == nil, flow.clientFIN && flow.serverFIN { flow.closedAt = timeNanos }
        case DecodedPacket.udp:
            result.statistics.udpPackets += 1
            let flow = flowState(for: packet, source: source, destination: destination, at: reference)
            flow.udpDatagram(from: source, payload: payload, at: reference)
            if packet.sourcePort == 53 || packet.sourcePort == 5353 { learnNames(from: payload) }
        default:
            result.statistics.otherPackets += 1
        }
    }

    /// Names servers from DNS answers (address → the name the app looked up),
    /// for connections that carry no SNI or Host. Bounded: the oldest half is
    /// forgotten when the table fills.
    private var namesByAddress: [IPAddress: String] = [:]
    private static let maximumNames = 65_536

    private func learnNames(from payload: RawSpan) {
        guard let message = try? DNSMessage(parsing: payload), message.isResponse else { return }
        let asked = message.questions.first
        for answer in message.answers where !answer.address.isEmpty {
            let bytes = answer.address
            let address: IPAddress
            if bytes.count == 4 {
                address = IPAddress(ipv4: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            } else {
                let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                address = IPAddress(high: high, low: low)
            }
            if namesByAddress.count >= Self.maximumNames { namesByAddress.removeAll(keepingCapacity: true) }
            namesByAddress[address] = asked ?? answer.name
        }
    }

    /// Flows seen so far and handshakes completed, for progress output.
    public var flowsSeen: Int { nextFlowID - 1 }
    public var handshakesSeen: Int { result.handshakes.count }
    public var personalInformationSeen: Int { result.personalInformation.count }

    private func sweep(now: Int64) {
        packetsSinceSweep = 0
        lastSweepNanos = now
        fragments.expire(now: now)
        var expired: [FlowKey] = []
        for (key, flow) in table {
            let idle = elapsedNanos(now, since: flow.last.timeNanos)
            let timeout: Int64
            if flow.transport == DecodedPacket.udp { timeout = limits.udpIdleTimeoutNanos }
            else if flow.closedAt != nil { timeout = limits.closedTimeoutNanos }
            else { timeout = limits.tcpIdleTimeoutNanos }
            if idle > timeout { expired.append(key) }
        }
        // Too many open flows (a scan, a flood of short connections): finish the
        // least recently active tenth early rather than grow without bound.
        if table.count - expired.count > limits.maximumOpenFlows {
            let expiredSet = Set(expired)
            let oldest = table.filter { !expiredSet.contains($0.key) }.sorted { $0.value.last.timeNanos < $1.value.last.timeNanos }
            for (key, _) in oldest.prefix(max(1, limits.maximumOpenFlows / 10)) {
                expired.append(key)
                result.statistics.flowsEvicted += 1
            }
        }
        guard !expired.isEmpty else { return }
        let flows = expired.compactMap { table.removeValue(forKey: $0) }.sorted { $0.id < $1.id }
        for flow in flows {
            result.statistics.flowsExpired += 1
            finish(flow)
        }
    }

    private func finish(_ flow: FlowState) {
        flow.flush(heldBytes: &heldBytes)
        var (fact, handshakes, observations) = flow.facts()
        if fact.serverName == nil, let name = namesByAddress[fact.server.address] {
            fact.serverName = name
            fact.serverNameSource = "dns"
        }
        result.flows.append(fact)
        result.handshakes.append(contentsOf: handshakes)
        result.personalInformation.append(contentsOf: observations)
        result.statistics.segmentsDroppedForMemory += fact.droppedForMemory
        if flow.hitMemoryCap { result.statistics.flowsHitMemoryCap += 1 }
        result.statistics.fragmentsDropped = fragments.datagramsDropped
    }
}
