/// One WebSocket message (RFC 6455 §5.4): a control frame, or a data frame
/// with its continuation frames joined. Payloads are unmasked and, with
/// permessage-deflate, inflated, so detectors see what the application sent.
public struct WebSocketMessage: Sendable {
    /// 1 text, 2 binary, 8 close, 9 ping, 10 pong.
    public var opcode: UInt8
    public var payload: [UInt8]
    public var fromClient: Bool
    /// Whether permessage-deflate was undone on this message.
    public var compressed: Bool
    /// Capped at `maxWebSocketMessage`, or cut by a gap or the end of stream.
    public var truncated: Bool
    public var firstPacket: Int
    public var lastPacket: Int

    public init(opcode: UInt8, payload: [UInt8], fromClient: Bool, compressed: Bool = false,
                truncated: Bool = false, firstPacket: Int, lastPacket: Int) {
        self.opcode = opcode
        self.payload = payload
        self.fromClient = fromClient
        self.compressed = compressed
        self.truncated = truncated
        self.firstPacket = firstPacket
        self.lastPacket = lastPacket
    }

    public var isText: Bool { opcode == 1 }
    public var isControl: Bool { opcode >= 8 }
}
