/// What one direction of an HTTP connection produced, in stream order.
public enum HTTPStreamEvent: Sendable {
    /// A complete request or response (or one cut short: see `bodyTruncated`).
    case message(HTTPMessage)
    /// A complete WebSocket data or control message after an Upgrade.
    case webSocket(WebSocketMessage)
    /// Bytes that break the grammar; the parser resynchronises after it.
    case malformed(HTTPProblem)
    /// A head that breaks the grammar in a way the parser read past (a bad
    /// header line, too many fields): its message follows, with the lines it
    /// could not read as fields in `unparsedHead`.
    case tolerated(HTTPProblem)
    /// Bytes the parser skipped while looking for the next message (after a
    /// malformed head or body): never parsed as HTTP, so scan them raw.
    case skipped([UInt8], firstPacket: Int)
    /// The first bytes of the direction are not an HTTP/1.x start line;
    /// reported once, after which the stream ignores its input.
    case notHTTP
}

/// Why bytes break the HTTP/1.x or WebSocket grammar: a kind to count and
/// name, and the detail to show.
public struct HTTPProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case startLine, headerLine, tooManyHeaders, headTooLong, headTruncated, bodyFraming, contentCoding, webSocketFrame
        /// A Content-Length, chunk size or WebSocket frame length too large to be true (`maxDeclaredLength`).
        case declaredLength
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }
}
