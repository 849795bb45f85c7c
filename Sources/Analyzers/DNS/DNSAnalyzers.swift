import Detectors
import Facts
import PacketDecoding
import ProtocolDNS
import WireBytes

/// What both DNS analyzers do with one message: answers become facts (the
/// naming enricher binds addresses to names), query names are inspected for
/// PI (apps exfiltrate identifiers in labels).
enum DNSMessageHandling {
    /// Returns false when the bytes are not a DNS message.
    static func handle(_ bytes: RawSpan, from side: Side, at packet: PacketReference, in context: FlowContext,
                       inspect: Bool) -> Bool {
        let message: DNSMessage
        do { message = try DNSMessage(parsing: bytes) } catch {
            // Refused for a cap (record counts, name length) or a pointer that would loop: counted where the user looks.
            if case .limitExceeded = error.kind { context.environment.limits.record(.dnsMessageRefused) }
            else if bytes.byteCount >= 12, DNSMessage.looksLikeDNS(bytes), error.description.contains("pointer") {
                context.environment.limits.record(.dnsMessageRefused)
            }
            return false
        }
        if message.isResponse {
            let answers = message.answers.map { answer in
                DNSRecordFact(name: answer.name, type: answer.type, ttl: answer.ttl, address: address(answer.address), target: answer.target)
            }
            context.emit(.dnsAnswer(DNSAnswerFact(flow: context.id, file: context.file, at: packet,
                                                  questions: message.questions, answers: answers)))
        }
        guard inspect, let inspection = context.environment.inspection else { return true }
        var matches: [PIMatch] = []
        if !message.isResponse {
            for name in message.questions {
                matches += inspection.inspector.inspect(Array(name.utf8), as: .dnsName, field: nil, decoding: ["dns"])
            }
        }
        context.emitSightings(matches, sender: side, http: nil, carrier: .dns, first: packet, lastPacket: packet.packet)
        return true
    }

    static func address(_ bytes: [UInt8]) -> IPAddress? {
        if bytes.count == 4 { return IPAddress(ipv4: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
        guard bytes.count == 16 else { return nil }
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return IPAddress(high: high, low: low)
    }
}

/// DNS over UDP on any port (53, mDNS 5353, LLMNR 5355, or a resolver an
/// SDK runs elsewhere), recognised by content.
public final class DNSDatagramAnalyzer: DatagramAnalyzer {
    public static let name = "dns"

    public static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult {
        DNSMessage.looksLikeDNS(datagram) ? .match : .noMatch
    }

    private let context: FlowContext

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .dns }

    public func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {
        let inspect = context.environment.inspection?.inspectUDP == true && context.takeDatagramScanBudget(datagram.byteCount)
        if !DNSMessageHandling.handle(datagram, from: side, at: packet, in: context, inspect: inspect) {
            context.emitAnomaly(.dnsMessageMalformed, from: side, "a datagram of a DNS flow does not parse as DNS", at: packet)
            // Scanned like any unknown datagram (the budget was charged above).
            guard inspect, let inspection = context.environment.inspection else { return }
            let bytes = datagram.withUnsafeBytes { Array($0) }
            let matches = inspection.inspector.inspect(bytes, as: PlaintextInspection.guessKind(bytes), field: nil, decoding: ["udp"])
            context.emitSightings(matches, sender: side, http: nil, carrier: .udp, first: packet, lastPacket: packet.packet)
        }
    }
}

/// DNS over TCP (RFC 1035 §4.2.2: each message after a two-byte length), on
/// any port, recognised by content. A message cut by a segment boundary is
/// assembled; whole ones are parsed in place.
public final class DNSStreamAnalyzer: StreamAnalyzer {
    public static let name = "dns-tcp"

    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult {
        guard !afterGap else { return .noMatch }
        guard prefix.byteCount >= 14 else { return final ? .noMatch : .needMoreBytes }
        let length = Int(prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self)) << 8 | Int(prefix.unsafeLoad(fromByteOffset: 1, as: UInt8.self))
        guard length >= 12 else { return .noMatch }
        // The header alone must already look like DNS: a query from the client, an answer from the server.
        let flags = UInt16(prefix.unsafeLoad(fromByteOffset: 4, as: UInt8.self)) << 8 | UInt16(prefix.unsafeLoad(fromByteOffset: 5, as: UInt8.self))
        let isResponse = flags & 0x8000 != 0
        guard isResponse == (side == .server), flags & 0x0040 == 0, [0, 1, 2, 4, 5].contains((flags >> 11) & 0xF) else { return .noMatch }
        guard prefix.byteCount >= 2 + length else { return final ? .noMatch : .needMoreBytes }
        return DNSMessage.looksLikeDNS(prefix.extracting(2..<(2 + length))) ? .match : .noMatch
    }

    private let context: FlowContext
    private var clientHeld: [UInt8] = []
    private var serverHeld: [UInt8] = []
    private var clientLost = false
    private var serverLost = false

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .dns }

    public func attach(_ side: Side, afterGap: Bool) {}

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        if side == .client {
            guard !clientLost else { return }
            clientLost = !frame(bytes, held: &clientHeld, from: side, at: packet)
        } else {
            guard !serverLost else { return }
            serverLost = !frame(bytes, held: &serverHeld, from: side, at: packet)
        }
        if side == .client ? clientLost : serverLost { requests.stop(side) }
    }

    /// Parses every whole message; false once framing is lost (a message that is not DNS).
    private func frame(_ bytes: RawSpan, held: inout [UInt8], from side: Side, at packet: PacketReference) -> Bool {
        if !held.isEmpty {
            bytes.withUnsafeBytes { held.append(contentsOf: $0) }
            let buffered = held
            held = []
            return buffered.withUnsafeBytes { frameInPlace(RawSpan(_unsafeBytes: $0), held: &held, from: side, at: packet) }
        }
        return frameInPlace(bytes, held: &held, from: side, at: packet)
    }

    private func frameInPlace(_ bytes: RawSpan, held: inout [UInt8], from side: Side, at packet: PacketReference) -> Bool {
        var offset = 0
        let count = bytes.byteCount
        while count - offset >= 2 {
            let length = Int(bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)) << 8
                | Int(bytes.unsafeLoad(fromByteOffset: offset + 1, as: UInt8.self))
            guard count - offset >= 2 + length else { break }
            let message = bytes.extracting((offset + 2)..<(offset + 2 + length))
            guard DNSMessageHandling.handle(message, from: side, at: packet, in: context, inspect: true) else {
                context.emitAnomaly(.dnsMessageMalformed, from: side, "a message of a DNS-over-TCP flow does not parse; the side is no longer followed", at: packet)
                return false
            }
            offset += 2 + length
        }
        if offset < count { bytes.extracting(offset..<count).withUnsafeBytes { held.append(contentsOf: $0) } }
        return true
    }

    public func noteGap(from side: Side, at reference: PacketReference) {
        // Message boundaries cannot be found again after a hole.
        if side == .client { clientLost = true; clientHeld = [] } else { serverLost = true; serverHeld = [] }
    }

    public func finish(at last: PacketReference) {}

    public func rolesSwapped() {
        swap(&clientHeld, &serverHeld)
        swap(&clientLost, &serverLost)
    }
}
