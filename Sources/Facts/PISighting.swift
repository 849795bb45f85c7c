/// What carried a PI item. Raw values are the JSON contract's `carrier` strings.
public enum PICarrier: String, Sendable, Hashable {
    case http, websocket, dns, tls, tcp, udp
}

/// One personal-information item found in one inspected value, and where it was seen.
public struct PISighting: Sendable {
    public var flow: Int
    public var file: Int
    public var sender: Side
    public var carrier: PICarrier
    public var match: PIMatch
    public var http: HTTPContext?
    /// The first packet that carried the inspected bytes, and the last one.
    public var first: PacketReference
    public var lastPacket: Int

    public init(flow: Int, file: Int, sender: Side, carrier: PICarrier, match: PIMatch, http: HTTPContext?,
                first: PacketReference, lastPacket: Int) {
        self.flow = flow
        self.file = file
        self.sender = sender
        self.carrier = carrier
        self.match = match
        self.http = http
        self.first = first
        self.lastPacket = lastPacket
    }
}

/// Every sighting of one (flow, PI type, value): the first one's details,
/// how often it was seen, and the packets that carried it (up to 16).
public struct PIObservation: Sendable {
    public var first: PISighting
    public var count: Int
    public var packets: [Int]
    /// A confirmed sighting outranks pattern-only ones.
    public var confirmed: Bool

    public static let maximumPackets = 16

    public init(_ sighting: PISighting) {
        first = sighting
        count = sighting.match.occurrences
        packets = sighting.first.packet == sighting.lastPacket ? [sighting.lastPacket] : [sighting.first.packet, sighting.lastPacket]
        confirmed = sighting.match.confirmed
    }

    public mutating func add(_ sighting: PISighting) {
        count += sighting.match.occurrences
        if packets.count < Self.maximumPackets && !packets.contains(sighting.lastPacket) { packets.append(sighting.lastPacket) }
        if sighting.match.confirmed { confirmed = true }
    }

    public var flow: Int { first.flow }
    public var file: Int { first.file }
    public var type: PIType { first.match.type }
}
