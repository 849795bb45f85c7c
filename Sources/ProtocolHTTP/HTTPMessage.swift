/// A parsed HTTP/1.x request or response with its body de-chunked and
/// decompressed: everything the personal-information scanners read.
public struct HTTPMessage: Sendable {
    public var isRequest: Bool
    public var method: String?
    /// The request-target as sent (origin, absolute, authority or asterisk form).
    public var target: String?
    /// The target without its query: `/a/b` for `/a/b?c=d` and for
    /// `http://h/a/b?c=d`; nil for authority form (CONNECT).
    public var path: String?
    /// The raw query after `?`, not percent-decoded: decoders run later and
    /// record each step they apply.
    public var query: String?
    /// `HTTP/1.0` or `HTTP/1.1`.
    public var version: String
    public var status: Int?
    public var reason: String?
    public var headers: [HTTPHeader]
    /// Trailer fields after the last chunk.
    public var trailers: [HTTPHeader]
    /// The authority of an absolute-form target (which RFC 9112 §3.2.2 says
    /// replaces Host), else the Host header.
    public var host: String?
    public var body: [UInt8]
    /// Decoding steps applied to the wire body, in order: `["chunked","gzip"]`.
    public var bodyDecoding: [String]
    /// Body capped at `maxBodyBytes` or `maxDecompressedBytes`, cut by a gap,
    /// by the end of the stream, or by malformed framing.
    public var bodyTruncated: Bool
    /// Lowercased media type without parameters.
    public var contentType: String?
    /// Packet numbers of the bytes that started and completed the message.
    public var firstPacket: Int
    public var lastPacket: Int
    /// The caps this message hit (`bodyBytes`: past `maxBodyBytes`, the rest of
    /// the body skipped; `decompressedBytes`: inflating stopped at `maxDecompressedBytes`).
    public var capsHit: [HTTPCap] = []
    /// Body bytes past `maxBodyBytes`, skipped unread.
    public var bodyBytesSkipped = 0
    /// Head lines that are not header fields (no colon, whitespace in the name,
    /// fields past `maxHeaders`), each ending in a line feed: scanned raw.
    public var unparsedHead: [UInt8] = []

    public init(isRequest: Bool, method: String? = nil, target: String? = nil, path: String? = nil,
                query: String? = nil, version: String, status: Int? = nil, reason: String? = nil,
                headers: [HTTPHeader] = [], trailers: [HTTPHeader] = [], host: String? = nil,
                body: [UInt8] = [], bodyDecoding: [String] = [], bodyTruncated: Bool = false,
                contentType: String? = nil, firstPacket: Int = 0, lastPacket: Int = 0) {
        self.isRequest = isRequest
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.trailers = trailers
        self.host = host
        self.body = body
        self.bodyDecoding = bodyDecoding
        self.bodyTruncated = bodyTruncated
        self.contentType = contentType
        self.firstPacket = firstPacket
        self.lastPacket = lastPacket
    }

    /// The first field with this name, compared case-insensitively (field
    /// names are case-insensitive, RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { HeaderText.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of a field, in wire order (`Set-Cookie`, `Cookie`).
    public func headers(named name: String) -> [String] {
        headers.filter { HeaderText.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// A request asking to switch protocols (`Connection: upgrade` + `Upgrade`).
    public var requestsUpgrade: Bool {
        guard header("upgrade") != nil else { return false }
        return HeaderText.listContains(headers(named: "connection"), "upgrade")
    }

    /// A 101 response switching to WebSocket: the caller then calls
    /// `switchToWebSocket` on both directions.
    public var switchesToWebSocket: Bool {
        status == 101 && HeaderText.listContains(headers(named: "upgrade"), "websocket")
    }

    /// Whether the handshake response accepted permessage-deflate (RFC 7692).
    public var negotiatesPermessageDeflate: Bool {
        headers(named: "sec-websocket-extensions").contains { value in
            value.split(separator: ",").contains { ext in
                HeaderText.trimmed(String(ext.split(separator: ";").first ?? "")).lowercased() == "permessage-deflate"
            }
        }
    }
}

/// A cap of `HTTPLimits` that cut a message.
public enum HTTPCap: Sendable, Hashable {
    case bodyBytes, decompressedBytes
}
