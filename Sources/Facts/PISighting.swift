/// What carried a PI item. Raw values are the JSON contract's `carrier` strings.
public enum PICarrier: String, Sendable, Hashable {
    case http, websocket, dns, tcp, udp
}

/// One personal-information item found in one inspected value, where it was seen.
public struct PISighting: Sendable {
    public var flow: Int
    public var file: Int
    public var sender: Side
    public var carrier: PICarrier
    public var type: PIType
    /// Normalised raw value. Reports print it only when asked to reveal.
    public var value: String
    /// Safe to print (APP-GUIDE B.4 partial masking).
    public var masked: String
    /// Decoding steps applied, outermost first, e.g. ["query", "base64", "gzip", "json:$.dev.imei"].
    public var decoding: [String]
    /// Parameter, header, cookie or JSON path the value came from.
    public var field: String?
    /// The value is one of the test device's own identifiers.
    public var confirmed: Bool
    public var confidence: Double
    public var detail: String?
    /// Repeats of the same value within the one inspected value.
    public var occurrences: Int
    public var http: HTTPContext?
    /// The first packet that carried the inspected bytes, and the last one.
    public var first: PacketReference
    public var lastPacket: Int

    public init(flow: Int, file: Int, sender: Side, carrier: PICarrier, type: PIType, value: String, masked: String,
                decoding: [String], field: String?, confirmed: Bool, confidence: Double, detail: String?, occurrences: Int,
                http: HTTPContext?, first: PacketReference, lastPacket: Int) {
        self.flow = flow
        self.file = file
        self.sender = sender
        self.carrier = carrier
        self.type = type
        self.value = value
        self.masked = masked
        self.decoding = decoding
        self.field = field
        self.confirmed = confirmed
        self.confidence = confidence
        self.detail = detail
        self.occurrences = occurrences
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
        count = sighting.occurrences
        packets = sighting.first.packet == sighting.lastPacket ? [sighting.lastPacket] : [sighting.first.packet, sighting.lastPacket]
        confirmed = sighting.confirmed
    }

    public mutating func add(_ sighting: PISighting) {
        count += sighting.occurrences
        if packets.count < Self.maximumPackets && !packets.contains(sighting.lastPacket) { packets.append(sighting.lastPacket) }
        if sighting.confirmed { confirmed = true }
    }

    public var flow: Int { first.flow }
    public var file: Int { first.file }
    public var type: PIType { first.type }
}
