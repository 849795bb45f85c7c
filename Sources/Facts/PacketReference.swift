/// Where a fact was seen: the input file (by index into the run's inputs),
/// the packet number in that file, its capture time, and the interface it
/// was captured on (pcapng interface index; 0 for pcap and live).
public struct PacketReference: Sendable, Hashable {
    public var file: Int
    public var packet: Int
    public var timeNanos: Int64
    public var interface: Int = 0

    public init(file: Int, packet: Int, timeNanos: Int64, interface: Int = 0) {
        self.file = file
        self.packet = packet
        self.timeNanos = timeNanos
        self.interface = interface
    }
}

/// Which end of a flow sent something.
public enum Side: String, Sendable, Hashable {
    case client, server

    public var other: Side { self == .client ? .server : .client }
}
