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
    /// Set when the request's own shape names the SDK that sent it (an HTTPDNS
    /// provider's resolve API), so a flow to a bare address is still attributed.
    public var signature: ProtocolSignature? = nil

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

/// An SDK recognised by what its protocol says rather than by where it goes.
public struct ProtocolSignature: Sendable, Hashable {
    /// The catalogue id.
    public var sdk: String
    /// The shape that matched, as the report shows it (`/v3/resolve?account_id=&dn=`).
    public var shape: String

    public init(sdk: String, shape: String) {
        self.sdk = sdk
        self.shape = shape
    }
}
