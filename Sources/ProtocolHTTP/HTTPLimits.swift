/// Caps that keep a hostile or broken stream from exhausting memory. Every
/// length on the wire is checked against one of these before it is trusted.
public struct HTTPLimits: Sendable, Equatable {
    /// Start line plus header section (and a trailer section).
    public var maxHeaderBytes: Int
    public var maxHeaders: Int
    /// Body bytes kept per message (after de-chunking, before decompression);
    /// the rest is skipped and the message marked truncated.
    public var maxBodyBytes: Int
    /// Output cap for each decompression step: the zip-bomb guard.
    public var maxDecompressedBytes: Int
    /// Payload bytes kept per WebSocket message (after joining fragments).
    public var maxWebSocketMessage: Int
    /// A Content-Length, chunk size or WebSocket frame length above this is
    /// a lie or an attack, not a body: the message is reported malformed.
    public var maxDeclaredLength: Int
    /// Bytes a direction may skip while resynchronising that still go to the raw scan.
    public var maxSkippedScanBytes: Int

    public init(maxHeaderBytes: Int = 64 << 10, maxHeaders: Int = 200, maxBodyBytes: Int = 4 << 20,
                maxDecompressedBytes: Int = 16 << 20, maxWebSocketMessage: Int = 4 << 20,
                maxDeclaredLength: Int = 1 << 40, maxSkippedScanBytes: Int = 1 << 20) {
        self.maxSkippedScanBytes = maxSkippedScanBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaders = maxHeaders
        self.maxBodyBytes = maxBodyBytes
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxWebSocketMessage = maxWebSocketMessage
        self.maxDeclaredLength = maxDeclaredLength
    }
}
