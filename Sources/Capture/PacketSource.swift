import WireBytes

/// Key material a pcapng Decryption Secrets Block carried (RFC draft
/// pcapng §4.7): `type` 0x544c534b ("TLSK") is an NSS key log; 0x57474b4c
/// WireGuard; others are kept as they are.
public struct DecryptionSecrets: Sendable {
    public var type: UInt32
    public var data: [UInt8]
    /// Packets read before the block: a later decryption stage uses the keys from there on.
    public var afterPacket: Int

    public init(type: UInt32, data: [UInt8], afterPacket: Int) {
        self.type = type
        self.data = data
        self.afterPacket = afterPacket
    }
}

/// Receives what a packet source reads, in order. Packet bytes are borrowed:
/// valid only during the call.
public protocol PacketConsumer {
    mutating func packet(_ record: PacketRecord, bytes: RawSpan)
    mutating func decryptionSecrets(_ secrets: DecryptionSecrets)
}

/// Anything that yields packets: a pcap or pcapng file (or standard input),
/// or a live libpcap capture. The engine reads every source the same way.
public protocol PacketSource: AnyObject {
    /// What the report names the input by: its path, or `live:INTERFACE`.
    var name: String { get }
    /// Reads until the source ends (or a live capture stops) and sums it up.
    func read<Consumer: PacketConsumer>(into consumer: inout Consumer) -> CaptureSummary
}
