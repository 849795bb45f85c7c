import PacketDecoding

/// One endpoint of a flow.
public struct Endpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        lhs.address != rhs.address ? lhs.address < rhs.address : lhs.port < rhs.port
    }

    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// A direction-free flow key: the lower endpoint first, so both directions of
/// a connection find the same flow.
public struct FlowKey: Hashable, Sendable {
    public var lower: Endpoint
    public var upper: Endpoint
    public var transport: UInt8

    public init(_ a: Endpoint, _ b: Endpoint, transport: UInt8) {
        if a < b {
            lower = a
            upper = b
        } else {
            lower = b
            upper = a
        }
        self.transport = transport
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lower.address.low ^ upper.address.low &* 31)
        hasher.combine(lower.address.high ^ upper.address.high)
        hasher.combine(UInt32(lower.port) << 16 | UInt32(upper.port))
        hasher.combine(transport)
    }
}
