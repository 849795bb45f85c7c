/// What the engine learns, in the order it learns it. The dissector emits
/// these; enrichers annotate them; rules judge them; the report model and
/// the streaming writers collect them.
///
/// The large payloads are boxed: an event passes through every sink in turn,
/// and copying a kilobyte-sized handshake or flow at each step cost more than
/// one allocation.
public enum FactEvent: Sendable {
    case flowOpened(FlowOpened)
    /// A TLS/TLCP handshake's plaintext part is over (both sides encrypted, a
    /// new handshake began, or the flow ended).
    indirect case handshakeComplete(HandshakeFact)
    indirect case httpMessage(HTTPMessageFact)
    case dnsAnswer(DNSAnswerFact)
    case piSighting(PISighting)
    case anomaly(AnomalyFact)
    /// Key material a pcapng Decryption Secrets Block carried, at its place in the file.
    case decryptionSecrets(DecryptionSecretsFact)
    indirect case flowClosed(FlowFact)
}

/// Receives the event stream. Enrichers, rule engines, report builders and
/// streaming writers are sinks; a sink may pass events on to the next one.
public protocol FactSink: AnyObject {
    func receive(_ event: FactEvent)
}

/// TLS key log lines (NSS format) and where they were found.
public struct DecryptionSecretsFact: Sendable {
    /// pcapng secrets type, e.g. 0x544c534b "TLSK" for a TLS key log.
    public var type: UInt32
    public var data: [UInt8]
    public var file: Int
    /// The number of packets read before the block.
    public var afterPacket: Int

    public init(type: UInt32, data: [UInt8], file: Int, afterPacket: Int) {
        self.type = type
        self.data = data
        self.file = file
        self.afterPacket = afterPacket
    }
}
