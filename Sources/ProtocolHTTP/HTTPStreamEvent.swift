/// What one direction of an HTTP connection produced, in stream order.
public enum HTTPStreamEvent: Sendable {
    /// A complete request or response (or one cut short: see `bodyTruncated`).
    case message(HTTPMessage)
    /// A complete WebSocket data or control message after an Upgrade.
    case webSocket(WebSocketMessage)
    /// Bytes that break the grammar; the parser resynchronises after it.
    case malformed(HTTPProblem)
    /// The first bytes of the direction are not an HTTP/1.x start line;
    /// reported once, after which the stream ignores its input.
    case notHTTP
}

/// Why bytes break the HTTP/1.x or WebSocket grammar: a kind to count and
/// name, and the detail to show.
public struct HTTPProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case startLine, headerLine, tooManyHeaders, headTooLong, headTruncated, bodyFraming, contentCoding, webSocketFrame
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }
}
