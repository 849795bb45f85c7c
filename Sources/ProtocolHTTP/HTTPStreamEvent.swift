/// What one direction of an HTTP connection produced, in stream order.
public enum HTTPStreamEvent: Sendable {
    /// A complete request or response (or one cut short: see `bodyTruncated`).
    case message(HTTPMessage)
    /// A complete WebSocket data or control message after an Upgrade.
    case webSocket(WebSocketMessage)
    /// Bytes that break the grammar; the parser resynchronises after it.
    case malformed(String)
    /// The first bytes of the direction are not an HTTP/1.x start line;
    /// reported once, after which the stream ignores its input.
    case notHTTP
}
