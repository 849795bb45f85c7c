/// What the link, network and transport headers of one packet say. Payload
/// positions are offsets into the bytes that were decoded, so the payload is
/// never copied.
public struct DecodedPacket: Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    /// IP protocol number of the transport (6 TCP, 17 UDP, …).
    public var transport: UInt8
    public var sourcePort: UInt16 = 0
    public var destinationPort: UInt16 = 0
    public var sequence: UInt32 = 0
    public var acknowledgement: UInt32 = 0
    public var tcpFlags: TCPFlags = []
    public var payloadOffset: Int = 0
    public var payloadLength: Int = 0
    /// The capture kept fewer payload bytes than the headers announce (snaplen).
    public var payloadTruncated = false
    /// 802.1Q/802.1ad tags seen, outermost first.
    public var vlanTags: Int = 0

    public init(source: IPAddress, destination: IPAddress, transport: UInt8) {
        self.source = source
        self.destination = destination
        self.transport = transport
    }

    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
}

public struct TCPFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
}

/// One IP fragment, with what is needed to put its datagram back together.
public struct FragmentPiece: Sendable {
    public var key: FragmentKey
    /// Byte offset of this piece inside the original datagram's payload.
    public var offset: Int
    public var moreFragments: Bool
    public var payloadOffset: Int
    public var payloadLength: Int
}

public struct FragmentKey: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var identification: UInt32
    public var transport: UInt8
}

public enum DecodeResult: Sendable {
    case packet(DecodedPacket)
    case fragment(FragmentPiece)
    /// A valid packet wirecheck does not analyse (ARP, ICMP, …).
    case ignored
    case malformed(String)
    case unsupportedLinkType
}
