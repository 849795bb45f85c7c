/// Where a server's name came from. Raw values are the JSON contract's
/// `server_name_source` strings.
public enum ServerNameSource: String, Sendable, Hashable, CaseIterable {
    /// The TLS ClientHello's server_name.
    case sni
    /// The Host header (or CONNECT authority) of an HTTP request on the flow.
    case httpHost = "http_host"
    /// A DNS answer seen earlier in the capture for the server's address.
    case dns
    /// The SNI of a ClientHello carried in QUIC Initial packets.
    case quic
    /// The host name a SOCKS4a or SOCKS5 client asked its proxy to connect to.
    case tunnel
    /// An HTTPDNS answer (a resolver reached over HTTP) for the address.
    case httpdns
    /// The server certificate's subject alternative name or common name.
    case certificate
}

/// A server's name and how it was learnt.
public struct ServerName: Sendable, Hashable {
    public var name: String
    public var source: ServerNameSource

    public init(_ name: String, source: ServerNameSource) {
        self.name = name
        self.source = source
    }
}
