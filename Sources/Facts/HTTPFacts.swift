/// The HTTP request (or response) a PI item travelled in.
public struct HTTPContext: Sendable, Hashable {
    public var method: String?
    public var host: String?
    public var path: String?
    public var status: Int?

    public init(method: String? = nil, host: String? = nil, path: String? = nil, status: Int? = nil) {
        self.method = method
        self.host = host
        self.path = path
        self.status = status
    }
}

/// One HTTP/1.x message, as far as enrichers and rules need it (the body
/// itself goes only to the PI detectors).
public struct HTTPMessageFact: Sendable {
    public var flow: Int
    public var file: Int
    public var sender: Side
    public var isRequest: Bool
    public var method: String?
    public var host: String?
    public var path: String?
    public var query: String?
    public var status: Int?
    public var contentType: String?
    public var bodyBytes: Int
    public var first: PacketReference
    public var lastPacket: Int

    public init(flow: Int, file: Int, sender: Side, isRequest: Bool, method: String?, host: String?, path: String?,
                query: String?, status: Int?, contentType: String?, bodyBytes: Int, first: PacketReference, lastPacket: Int) {
        self.flow = flow
        self.file = file
        self.sender = sender
        self.isRequest = isRequest
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.status = status
        self.contentType = contentType
        self.bodyBytes = bodyBytes
        self.first = first
        self.lastPacket = lastPacket
    }
}
