/// Engine counters for a whole run, summed over every input.
public struct DissectionStatistics: Sendable {
    public var packets = 0
    public var ipPackets = 0
    public var tcpPackets = 0
    public var udpPackets = 0
    public var otherPackets = 0
    public var malformedPackets = 0
    public var unsupportedLinkPackets = 0
    public var fragmentsReassembled = 0
    public var fragmentsDropped = 0
    public var flowsExpired = 0
    /// Flows finished early because too many were open at once.
    public var flowsEvicted = 0
    /// Packets whose time jumped more than a day ahead (the idle clock ignored them).
    public var clockJumps = 0
    /// Flows whose reassembly stopped because the global memory cap was hit.
    public var flowsHitMemoryCap = 0
    public var segmentsDroppedForMemory = 0
    public var peakHeldBytes = 0
    public init() {}
}
