import CertificateModel
import Flows
import TLSModel

public struct ObservedAlert: Sendable {
    public var sender: Side
    public var level: UInt8
    public var description: AlertDescription
    public var at: PacketReference
    public var isFatal: Bool { level == 2 }

    public init(sender: Side, level: UInt8, description: AlertDescription, at: PacketReference) {
        self.sender = sender
        self.level = level
        self.description = description
        self.at = at
    }
}

/// A handshake message that could not be parsed, or a record layer problem.
public struct ObservedError: Sendable {
    public var sender: Side
    public var kind: ProtocolAnomaly
    public var message: String
    public var at: PacketReference

    public init(sender: Side, kind: ProtocolAnomaly, message: String, at: PacketReference) {
        self.sender = sender
        self.kind = kind
        self.message = message
        self.at = at
    }
}

/// Client fingerprints, computed once by the analyzer that parsed the hello.
public struct TLSFingerprints: Sendable, Hashable {
    public var ja3: String
    public var ja3String: String
    public var ja4: String

    public init(ja3: String, ja3String: String, ja4: String) {
        self.ja3 = ja3
        self.ja3String = ja3String
        self.ja4 = ja4
    }
}

/// What carried a handshake's messages. Raw values are the JSON contract's
/// `handshakes[].transport` strings.
public enum HandshakeTransport: String, Sendable {
    /// TLS (or TLCP, or SSL) records over a TCP stream, also after an upgrade or inside a tunnel.
    case tls
    /// DTLS records over UDP (RFC 6347, RFC 9147).
    case dtls
    /// CRYPTO frames of QUIC Initial packets (RFC 9001), decrypted with the Initial keys.
    case quic
}

/// The tunnel a handshake ran inside: a SOCKS CONNECT's target, as the client asked for it.
public struct TunnelFact: Sendable, Hashable {
    /// `socks4`, `socks4a`, `socks5`.
    public var kind: String
    /// The host name the client asked the proxy for, or the address as text.
    public var host: String
    public var port: UInt16
    /// The target is a name (SOCKS4a, SOCKS5 domain), not an address literal.
    public var hostIsName: Bool
    public var at: PacketReference

    public init(kind: String, host: String, port: UInt16, hostIsName: Bool, at: PacketReference) {
        self.kind = kind
        self.host = host
        self.port = port
        self.hostIsName = hostIsName
        self.at = at
    }
}

/// Everything one TLS or TLCP handshake showed in the clear.
public struct HandshakeFact: Sendable {
    public var flow: Int
    public var file: Int
    public var client: Endpoint
    public var server: Endpoint
    public var clientHello: ClientHello?
    public var clientHelloAt: PacketReference?
    public var fingerprints: TLSFingerprints?
    /// The ClientHello sent again after a HelloRetryRequest.
    public var retriedClientHello: ClientHello?
    public var retriedClientHelloAt: PacketReference?
    public var helloRetryRequested = false
    public var serverHello: ServerHello?
    public var serverHelloAt: PacketReference?
    public var serverCertificates: [CertificateParseResult] = []
    public var serverCertificatesAt: PacketReference?
    public var serverKeyExchange: ServerKeyExchange?
    public var serverKeyExchangeAt: PacketReference?
    public var certificateRequest: CertificateRequest?
    public var certificateRequestAt: PacketReference?
    public var clientCertificates: [CertificateParseResult] = []
    public var clientCertificatesAt: PacketReference?
    public var clientCertificateVerify: CertificateVerify?
    public var clientCertificateVerifyAt: PacketReference?
    public var alerts: [ObservedAlert] = []
    public var errors: [ObservedError] = []
    /// The server's first encrypted record was seen, so the handshake went on
    /// past the plaintext part.
    public var sawEncryptedServerRecords = false
    public var sawEncryptedClientRecords = false
    /// The flow's name when the handshake completed (set by the naming enricher),
    /// for findings about a handshake that sent no SNI.
    public var flowServerName: ServerName?
    public var transport = HandshakeTransport.tls
    /// The QUIC version of the Initial packets (1, 0x6B3343CF for v2, 0xFF00001D for draft-29).
    public var quicVersion: UInt32?
    /// A DTLS server's HelloVerifyRequest (its cookie asks the client to hello again).
    public var helloVerifyRequestAt: PacketReference?
    /// The SOCKS tunnel this handshake ran inside, if any.
    public var tunnel: TunnelFact?
    /// The protocol a STARTTLS-style upgrade came from (`smtp`, `imap`, …), if any.
    public var upgradedFrom: String?
    /// SSL 2.0: the cipher kind the client's CLIENT-MASTER-KEY chose.
    public var sslv2ChosenCipherKind: UInt32?

    public init(flow: Int, file: Int, client: Endpoint, server: Endpoint) {
        self.flow = flow
        self.file = file
        self.client = client
        self.server = server
    }

    public var negotiatedVersion: ProtocolVersion? { serverHello?.negotiatedVersion }

    /// TLS 1.3 encrypts the Certificate message: a passive capture cannot see it.
    public var certificatesObservable: Bool {
        guard let version = negotiatedVersion else { return !serverCertificates.isEmpty }
        return version < .tls13 || !serverCertificates.isEmpty
    }

    public var serverName: String? { clientHello?.serverName ?? retriedClientHello?.serverName }

    /// The first packet that shows this handshake.
    public var firstReference: PacketReference? { clientHelloAt ?? serverHelloAt ?? serverCertificatesAt }

    /// Anything worth reporting: a handshake message, a certificate, an alert or an error.
    public var isMeaningful: Bool {
        clientHello != nil || serverHello != nil || !serverCertificates.isEmpty || !errors.isEmpty || !alerts.isEmpty
    }
}
