import CertificateModel
import Facts
import ProtocolTLS
import ProtocolX509
import TLSModel
import WireBytes

/// Turns one flow's handshake messages into `HandshakeFact`s, whatever carried
/// them: TLS records over TCP, DTLS records (reassembled from fragments), or
/// the CRYPTO frames of QUIC Initials. Each message is parsed once by the
/// shared TLS parsers and dispatched by `HandshakeType`; a parse failure is
/// recorded on the handshake and emitted as an anomaly.
final class HandshakeRecorder {
    private let context: FlowContext
    let transport: HandshakeTransport
    /// The QUIC version, for handshakes carried in QUIC.
    var quicVersion: UInt32?
    private(set) var current: HandshakeFact?
    /// Where the message being handled came from.
    var reference = PacketReference(file: 0, packet: 0, timeNanos: 0)
    /// Asked when the side taken for the server sends a ClientHello before
    /// anything was recorded: the analyzer may swap the flow's roles.
    var serverSideClientHello: ((inout HandshakeFact) -> Void)?
    /// The version the last ServerHello chose.
    private(set) var serverVersion: ProtocolVersion?
    /// Either side spoke TLCP.
    private(set) var sawTLCP = false

    init(context: FlowContext, transport: HandshakeTransport) {
        self.context = context
        self.transport = transport
    }

    /// Hands out the current handshake, if it showed anything.
    func complete() {
        guard let fact = current else { return }
        current = nil
        if fact.isMeaningful { context.emit(.handshakeComplete(fact)) }
    }

    func newFact() -> HandshakeFact {
        var fact = HandshakeFact(flow: context.id, file: context.file, client: context.client, server: context.server)
        fact.transport = transport
        fact.quicVersion = quicVersion
        fact.tunnel = context.tunnel
        fact.upgradedFrom = context.upgradedFrom
        return fact
    }

    /// Changes the current handshake (made if none is open yet).
    func update(_ change: (inout HandshakeFact) -> Void) {
        var fact = current ?? newFact()
        change(&fact)
        current = fact
    }

    func record(_ error: ParseError, _ what: String, _ kind: ProtocolAnomaly, side: Side, into fact: inout HandshakeFact) {
        let message = "\(what): \(error)"
        fact.errors.append(ObservedError(sender: side, kind: kind, message: message, at: reference))
        context.emitAnomaly(kind, from: side, message, at: reference)
    }

    /// Parses one handshake message; a failure is recorded on the handshake (and
    /// emitted as an anomaly) under `what`, and gives nil.
    func parse<Message>(_ body: RawSpan, _ what: String, _ kind: ProtocolAnomaly, side: Side, into fact: inout HandshakeFact,
                        _ make: (inout ByteReader) throws(ParseError) -> Message) -> Message? {
        var reader = ByteReader(body)
        do throws(ParseError) {
            return try make(&reader)
        } catch {
            record(error, what, kind, side: side, into: &fact)
            return nil
        }
    }

    /// JA3, and JA4 with the transport's letter (`t` TCP, `d` DTLS, `q` QUIC).
    func fingerprints(_ hello: ClientHello) -> TLSFingerprints {
        let ja3String = hello.ja3String
        let letter: Character = switch transport {
        case .tls: "t"
        case .dtls: "d"
        case .quic: "q"
        }
        return TLSFingerprints(ja3: JA3.hash(ja3String), ja3String: ja3String, ja4: hello.ja4(transport: letter))
    }

    /// One handshake message's body (after its header) from `side`.
    func message(_ type: UInt8, body: RawSpan, from side: Side) {
        var fact = current ?? newFact()
        defer { current = fact }
        switch HandshakeType(rawValue: type) {
        case .clientHello:
            if side == .server {
                serverSideClientHello?(&fact)
                if fact.clientHello != nil { return }
            }
            let datagram = transport == .dtls
            guard let hello = parse(body, "ClientHello", .tlsClientHelloMalformed, side: .client, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try ClientHello(parsing: &reader, datagram: datagram)
            }) else { return }
            if fact.clientHello == nil {
                fact.clientHello = hello
                fact.clientHelloAt = reference
                fact.fingerprints = fingerprints(hello)
            } else if (fact.helloRetryRequested || fact.helloVerifyRequestAt != nil) && fact.retriedClientHello == nil {
                fact.retriedClientHello = hello
                fact.retriedClientHelloAt = reference
            } else {
                // A new handshake on the same connection (renegotiation in the clear).
                if fact.isMeaningful { context.emit(.handshakeComplete(fact)) }
                fact = newFact()
                fact.clientHello = hello
                fact.clientHelloAt = reference
                fact.fingerprints = fingerprints(hello)
            }
        case .serverHello where side == .server:
            guard let hello = parse(body, "ServerHello", .tlsServerHelloMalformed, side: .server, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try ServerHello(parsing: &reader)
            }) else { return }
            if hello.isHelloRetryRequest {
                fact.helloRetryRequested = true
            } else {
                fact.serverHello = hello
                fact.serverHelloAt = reference
            }
            if hello.negotiatedVersion.isTLCP { sawTLCP = true }
            serverVersion = hello.negotiatedVersion
        case .helloVerifyRequest where side == .server && transport == .dtls:
            fact.helloVerifyRequestAt = fact.helloVerifyRequestAt ?? reference
        case .certificate:
            let format: CertificateFormat = fact.negotiatedVersion?.isTLS13Family == true ? .tls13
                : (fact.negotiatedVersion?.isTLCP == true ? .tlcp : .tls12)
            guard let message = parse(body, "Certificate", .tlsCertificateMalformed, side: side, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try CertificateMessage(parsing: &reader, format: format)
            }) else { return }
            let parsed = message.certificates.map { context.environment.certificates.parse($0) }
            if side == .server {
                fact.serverCertificates = parsed
                fact.serverCertificatesAt = reference
            } else {
                fact.clientCertificates = parsed
                fact.clientCertificatesAt = reference
            }
        case .serverKeyExchange where side == .server:
            // Without the ServerHello (capture started mid-handshake) the layout is unknown.
            guard let hello = fact.serverHello else { return }
            let info = hello.cipherSuite.info
            // DTLS 1.0 signs like TLS 1.1, DTLS 1.2 like TLS 1.2.
            let version = hello.negotiatedVersion
            if let message = parse(body, "ServerKeyExchange", .tlsServerKeyExchangeMalformed, side: .server, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in
                try ServerKeyExchange(parsing: &reader, keyExchange: info?.keyExchange ?? .unknown,
                                      authentication: info?.authentication ?? .unknown, version: version)
            }) {
                fact.serverKeyExchange = message
                fact.serverKeyExchangeAt = reference
            }
        case .certificateRequest where side == .server:
            let version = fact.negotiatedVersion ?? .tls12
            if let message = parse(body, "CertificateRequest", .tlsCertificateRequestMalformed, side: .server, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try CertificateRequest(parsing: &reader, version: version)
            }) {
                fact.certificateRequest = message
                fact.certificateRequestAt = reference
            }
        case .certificateVerify where side == .client:
            let version = fact.negotiatedVersion ?? .tls12
            if let message = parse(body, "CertificateVerify", .tlsCertificateVerifyMalformed, side: .client, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try CertificateVerify(parsing: &reader, version: version)
            }) {
                fact.clientCertificateVerify = message
                fact.clientCertificateVerifyAt = reference
            }
        default:
            break
        }
    }

    func alert(level: UInt8, description: UInt8, from side: Side) {
        update { $0.alerts.append(ObservedAlert(sender: side, level: level, description: AlertDescription(rawValue: description), at: reference)) }
    }
}
