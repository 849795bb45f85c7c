import CertificateModel
import Facts
import ProtocolTLS
import ProtocolX509
import TLSModel
import WireBytes

/// TLS and TLCP on any port: both sides' records → handshake messages, each
/// parsed once and dispatched by `HandshakeType`, into one `HandshakeFact`
/// per handshake, emitted when its plaintext part is over. Once both sides
/// are encrypted the flow is asked to stop sending bytes.
public final class TLSAnalyzer: StreamAnalyzer {
    public static let name = "tls"

    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult {
        if afterGap {
            if TLSRecordStream.findRecordBoundary(prefix) != nil { return .match }
            if prefix.byteCount > TLSRecordStream.resynchronisationWindow { return .noMatch }
            return final ? .noMatch : .needMoreBytes
        }
        guard prefix.byteCount >= 5 else {
            return prefix.byteCount > 0 && !TLSRecordStream.couldStartTLS(prefix) || final ? .noMatch : .needMoreBytes
        }
        if TLSRecordStream.isSSLv2ClientHello(prefix) { return .match }
        return TLSRecordStream.plausibleHeader(prefix.extracting(0..<5)) ? .match : .noMatch
    }

    private let context: FlowContext
    private var clientStream = TLSRecordStream()
    private var serverStream = TLSRecordStream()
    /// A side's first record may be an SSL 2.0-compatible ClientHello, which has no TLS record header.
    private var clientAwaitsFirstRecord = false
    private var serverAwaitsFirstRecord = false
    private var heldFirstBytes: [UInt8] = []
    private var current: HandshakeFact?
    private var sawTLS = false
    private var sawTLCP = false
    /// A ChangeCipherSpec starts encryption unless the ServerHello chose TLS 1.3
    /// (whose middlebox-compatibility CCS changes nothing).
    private var changeCipherSpecEncrypts = true
    private var swapRequested = false
    /// Set during `receive`: where the bytes came from and what the flow is asked.
    private var reference = PacketReference(file: 0, packet: 0, timeNanos: 0)
    private var requests = FlowRequests()

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { nil }
    public var encryption: FlowApplication? { sawTLCP ? .tlcp : (sawTLS ? .tls : nil) }

    public func attach(_ side: Side, afterGap: Bool) {
        if side == .client {
            clientStream = TLSRecordStream(afterGap: afterGap)
            clientAwaitsFirstRecord = !afterGap
        } else {
            serverStream = TLSRecordStream(afterGap: afterGap)
            serverAwaitsFirstRecord = !afterGap
        }
    }

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests flowRequests: inout FlowRequests) {
        reference = packet
        requests = FlowRequests()
        if side == .client ? clientAwaitsFirstRecord : serverAwaitsFirstRecord {
            receiveFirstRecord(bytes, from: side)
        } else {
            feed(bytes, from: side)
        }
        afterFeeding(side)
        flowRequests = requests
    }

    private func feed(_ bytes: RawSpan, from side: Side) {
        if side == .client {
            clientStream.feed(bytes, to: SideConsumer(analyzer: self, side: .client))
        } else {
            serverStream.feed(bytes, to: SideConsumer(analyzer: self, side: .server))
        }
    }

    /// Takes an SSL 2.0-format hello off the front of a side, if that is how it begins.
    private func receiveFirstRecord(_ bytes: RawSpan, from side: Side) {
        if heldFirstBytes.isEmpty && bytes.byteCount >= 5 {
            firstRecord(bytes, from: side)
            return
        }
        bytes.withUnsafeBytes { heldFirstBytes.append(contentsOf: $0) }
        guard heldFirstBytes.count >= 5 else { return }
        let held = heldFirstBytes
        heldFirstBytes = []
        held.withUnsafeBytes { firstRecord(RawSpan(_unsafeBytes: $0), from: side) }
    }

    private func firstRecord(_ bytes: RawSpan, from side: Side) {
        if TLSRecordStream.isSSLv2ClientHello(bytes), let length = TLSRecordStream.sslv2RecordLength(bytes) {
            guard bytes.byteCount >= length else {
                bytes.withUnsafeBytes { heldFirstBytes.append(contentsOf: $0) }
                return
            }
            setAwaitsFirstRecord(side, false)
            SideConsumer(analyzer: self, side: side).sslv2ClientHello(body: bytes.extracting(2..<length))
            if length < bytes.byteCount { feed(bytes.extracting(length..<bytes.byteCount), from: side) }
            return
        }
        setAwaitsFirstRecord(side, false)
        feed(bytes, from: side)
    }

    private func setAwaitsFirstRecord(_ side: Side, _ value: Bool) {
        if side == .client { clientAwaitsFirstRecord = value } else { serverAwaitsFirstRecord = value }
    }

    private func afterFeeding(_ side: Side) {
        let phase = side == .client ? clientStream.phase : serverStream.phase
        switch phase {
        case .records:
            break
        case .encrypted:
            requests.stop(side)
            if clientStream.phase == .encrypted && serverStream.phase == .encrypted { completeHandshake() }
        case .notTLS:
            let held = side == .client ? clientStream.takeHeldBytes() : serverStream.takeHeldBytes()
            requests.handOff(side, held: held)
        }
    }

    public func noteGap(from side: Side, at reference: PacketReference) {
        setAwaitsFirstRecord(side, false)
        heldFirstBytes = []
        if side == .client { clientStream.noteGap() } else { serverStream.noteGap() }
    }

    public func finish(at last: PacketReference) {
        completeHandshake()
    }

    public func rolesSwapped() {
        swap(&clientStream, &serverStream)
        swap(&clientAwaitsFirstRecord, &serverAwaitsFirstRecord)
        swapRequested = false
    }

    private func completeHandshake() {
        guard let fact = current else { return }
        current = nil
        if fact.isMeaningful { context.emit(.handshakeComplete(fact)) }
    }

    // MARK: handshake messages

    private func handshake() -> HandshakeFact {
        current ?? HandshakeFact(flow: context.id, file: context.file, client: context.client, server: context.server)
    }

    /// A ClientHello from the side taken for the server: the first packet
    /// misled the orientation. Swap roles if nothing was recorded yet.
    private func adoptServerSideClientHello(_ fact: inout HandshakeFact) {
        guard fact.clientHello == nil && fact.serverHello == nil, !swapRequested else { return }
        swapRequested = true
        requests.swapRoles = true
        fact.client = context.server
        fact.server = context.client
    }

    private func record(_ error: ParseError, _ what: String, _ kind: ProtocolAnomaly, side: Side, into fact: inout HandshakeFact) {
        let message = "\(what): \(error)"
        fact.errors.append(ObservedError(sender: side, kind: kind, message: message, at: reference))
        context.emitAnomaly(kind, from: side, message, at: reference)
    }

    /// Parses one handshake message; a failure is recorded on the handshake (and
    /// emitted as an anomaly) under `what`, and gives nil.
    private func parse<Message>(_ body: RawSpan, _ what: String, _ kind: ProtocolAnomaly, side: Side, into fact: inout HandshakeFact,
                                _ make: (inout ByteReader) throws(ParseError) -> Message) -> Message? {
        var reader = ByteReader(body)
        do throws(ParseError) {
            return try make(&reader)
        } catch {
            record(error, what, kind, side: side, into: &fact)
            return nil
        }
    }

    private static func fingerprints(_ hello: ClientHello) -> TLSFingerprints {
        let ja3String = hello.ja3String
        return TLSFingerprints(ja3: JA3.hash(ja3String), ja3String: ja3String, ja4: hello.ja4)
    }

    fileprivate func handshakeMessage(_ type: UInt8, body: RawSpan, from side: Side) {
        sawTLS = true
        var fact = handshake()
        defer { current = fact }
        switch HandshakeType(rawValue: type) {
        case .clientHello:
            if side == .server {
                adoptServerSideClientHello(&fact)
                if fact.clientHello != nil { return }
            }
            guard let hello = parse(body, "ClientHello", .tlsClientHelloMalformed, side: .client, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try ClientHello(parsing: &reader)
            }) else { return }
            if fact.clientHello == nil {
                fact.clientHello = hello
                fact.clientHelloAt = reference
                fact.fingerprints = Self.fingerprints(hello)
            } else if fact.helloRetryRequested && fact.retriedClientHello == nil {
                fact.retriedClientHello = hello
                fact.retriedClientHelloAt = reference
            } else {
                // A new handshake on the same connection (renegotiation in the clear).
                if fact.isMeaningful { context.emit(.handshakeComplete(fact)) }
                fact = HandshakeFact(flow: context.id, file: context.file, client: context.client, server: context.server)
                fact.clientHello = hello
                fact.clientHelloAt = reference
                fact.fingerprints = Self.fingerprints(hello)
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
            changeCipherSpecEncrypts = hello.negotiatedVersion < .tls13
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
            if let message = parse(body, "ServerKeyExchange", .tlsServerKeyExchangeMalformed, side: .server, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in
                try ServerKeyExchange(parsing: &reader, keyExchange: info?.keyExchange ?? .unknown,
                                      authentication: info?.authentication ?? .unknown, version: hello.negotiatedVersion)
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

    fileprivate func sslv2ClientHello(body: RawSpan, from side: Side) {
        sawTLS = true
        var fact = handshake()
        defer { current = fact }
        if side == .server { adoptServerSideClientHello(&fact) }
        if let hello = parse(body, "SSL 2.0 ClientHello", .tlsSSLv2ClientHelloMalformed, side: .client, into: &fact, {
            (reader: inout ByteReader) throws(ParseError) in try ClientHello(sslv2Message: &reader)
        }) {
            fact.clientHello = hello
            fact.clientHelloAt = reference
            fact.fingerprints = Self.fingerprints(hello)
        }
    }

    fileprivate func changeCipherSpec() -> Bool {
        sawTLS = true
        return changeCipherSpecEncrypts
    }

    fileprivate func alert(level: UInt8, description: UInt8, from side: Side) {
        sawTLS = true
        var fact = handshake()
        fact.alerts.append(ObservedAlert(sender: side, level: level, description: AlertDescription(rawValue: description), at: reference))
        current = fact
    }

    fileprivate func encryptedRecord(from side: Side) {
        sawTLS = true
        var fact = handshake()
        if side == .server { fact.sawEncryptedServerRecords = true } else { fact.sawEncryptedClientRecords = true }
        current = fact
    }

    fileprivate func recordProblem(_ problem: TLSRecordProblem, _ detail: String, from side: Side) {
        sawTLS = true
        switch problem {
        case .recordHeaderInvalid, .handshakeMessageTooLong:
            let kind: ProtocolAnomaly = problem == .recordHeaderInvalid ? .tlsRecordHeaderInvalid : .tlsHandshakeMessageTooLong
            var fact = handshake()
            fact.errors.append(ObservedError(sender: side, kind: kind, message: detail, at: reference))
            current = fact
            context.emitAnomaly(kind, from: side, detail, at: reference)
        case .lostSynchronisation:
            context.emitAnomaly(.tlsLostSynchronisation, from: side, detail, at: reference)
        }
    }

    fileprivate func resynchronised(skipped: Int, from side: Side) {
        sawTLS = true
        context.emitAnomaly(.tlsResynchronised, from: side, "\(skipped) byte(s) skipped to reach a record boundary", at: reference)
    }
}

/// Binds a record stream's callbacks to the analyzer and the side they come from.
private struct SideConsumer: TLSRecordConsumer {
    let analyzer: TLSAnalyzer
    let side: Side

    func handshakeMessage(_ type: UInt8, body: RawSpan, recordVersion: ProtocolVersion) {
        analyzer.handshakeMessage(type, body: body, from: side)
    }
    func sslv2ClientHello(body: RawSpan) { analyzer.sslv2ClientHello(body: body, from: side) }
    func changeCipherSpec() -> Bool { analyzer.changeCipherSpec() }
    func alert(level: UInt8, description: UInt8) { analyzer.alert(level: level, description: description, from: side) }
    func encryptedRecord() { analyzer.encryptedRecord(from: side) }
    func recordProblem(_ problem: TLSRecordProblem, _ detail: String) { analyzer.recordProblem(problem, detail, from: side) }
    func resynchronised(skipped: Int) { analyzer.resynchronised(skipped: skipped, from: side) }
}
