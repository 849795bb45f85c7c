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
        if TLSRecordStream.isSSLv2ClientHello(prefix) || (side == .server && SSLv2Message.isServerHello(prefix)) { return .match }
        return TLSRecordStream.plausibleHeader(prefix.extracting(0..<5)) ? .match : .noMatch
    }

    private let context: FlowContext
    private var clientStream = TLSRecordStream()
    private var serverStream = TLSRecordStream()
    /// A side's first record may be an SSL 2.0-compatible ClientHello, which has no TLS record header.
    private var clientAwaitsFirstRecord = false
    private var serverAwaitsFirstRecord = false
    private var heldFirstBytes: [UInt8] = []
    /// The client sent an SSL 2.0-format hello; what follows decides whether this is an SSL 2.0 session.
    private var clientMayBeSSLv2 = false
    private var sslv2ClientHeld: [UInt8] = []
    private let recorder: HandshakeRecorder
    private var sawTLS = false
    /// A ChangeCipherSpec starts encryption unless the ServerHello chose TLS 1.3
    /// (whose middlebox-compatibility CCS changes nothing).
    private var changeCipherSpecEncrypts = true
    private var swapRequested = false
    /// Set during `receive`: where the bytes came from and what the flow is asked.
    private var reference = PacketReference(file: 0, packet: 0, timeNanos: 0)
    private var requests = FlowRequests()

    public init(context: FlowContext) {
        self.context = context
        recorder = HandshakeRecorder(context: context, transport: .tls)
        recorder.serverSideClientHello = { [unowned self] fact in adoptServerSideClientHello(&fact) }
    }

    public var plaintextProtocol: PlaintextProtocol? { nil }
    public var encryption: FlowApplication? { recorder.sawTLCP ? .tlcp : (sawTLS ? .tls : nil) }

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
        if side == .client && clientMayBeSSLv2 {
            clientAfterSSLv2Hello(bytes)
        } else if side == .client ? clientAwaitsFirstRecord : serverAwaitsFirstRecord {
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
        if side == .server, SSLv2Message.isServerHello(bytes), let lengths = SSLv2Message.recordLengths(bytes) {
            guard bytes.byteCount >= lengths.total else {
                bytes.withUnsafeBytes { heldFirstBytes.append(contentsOf: $0) }
                return
            }
            setAwaitsFirstRecord(side, false)
            sslv2ServerHello(bytes.extracting(lengths.header..<lengths.total))
            // SSL 2.0 encrypts everything after the SERVER-HELLO (SERVER-VERIFY on).
            requests.stop(.server)
            return
        }
        if TLSRecordStream.isSSLv2ClientHello(bytes), let length = TLSRecordStream.sslv2RecordLength(bytes) {
            guard bytes.byteCount >= length else {
                bytes.withUnsafeBytes { heldFirstBytes.append(contentsOf: $0) }
                return
            }
            setAwaitsFirstRecord(side, false)
            SideConsumer(analyzer: self, side: side).sslv2ClientHello(body: bytes.extracting(2..<length))
            // The client's next record is a TLS one (a TLS server answered) or an SSL 2.0 CLIENT-MASTER-KEY.
            if side == .client { clientMayBeSSLv2 = true }
            if length < bytes.byteCount {
                if side == .client { clientAfterSSLv2Hello(bytes.extracting(length..<bytes.byteCount)) }
                else { feed(bytes.extracting(length..<bytes.byteCount), from: side) }
            }
            return
        }
        setAwaitsFirstRecord(side, false)
        feed(bytes, from: side)
    }

    /// After an SSL 2.0-format hello: a CLIENT-MASTER-KEY (an SSL 2.0 session; the
    /// client then encrypts) or the TLS records of a client a TLS server answered.
    private func clientAfterSSLv2Hello(_ bytes: RawSpan) {
        bytes.withUnsafeBytes { sslv2ClientHeld.append(contentsOf: $0) }
        let held = sslv2ClientHeld
        held.withUnsafeBytes { raw in
            let all = RawSpan(_unsafeBytes: raw)
            guard all.byteCount >= 3 else { return }
            guard SSLv2Message.isClientMasterKey(all), let lengths = SSLv2Message.recordLengths(all) else {
                clientMayBeSSLv2 = false
                sslv2ClientHeld = []
                feed(all, from: .client)
                return
            }
            guard all.byteCount >= lengths.total else { return }
            clientMayBeSSLv2 = false
            sslv2ClientHeld = []
            sawTLS = true
            recorder.reference = reference
            recorder.update { fact in
                if let kind = recorder.parse(all.extracting(lengths.header..<lengths.total), "SSL 2.0 CLIENT-MASTER-KEY", .sslv2MessageMalformed,
                                             side: .client, into: &fact, { (reader: inout ByteReader) throws(ParseError) in
                    try SSLv2Message.clientMasterKey(&reader)
                }) {
                    fact.sslv2ChosenCipherKind = kind.rawValue
                }
                fact.sawEncryptedClientRecords = true
            }
            requests.stop(.client)
        }
    }

    private func sslv2ServerHello(_ body: RawSpan) {
        sawTLS = true
        recorder.reference = reference
        let at = reference
        let certificates = context.environment.certificates
        recorder.update { fact in
            guard let parsed = recorder.parse(body, "SSL 2.0 SERVER-HELLO", .sslv2MessageMalformed, side: .server, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try SSLv2Message.serverHello(&reader)
            }) else { return }
            fact.serverHello = parsed.hello
            fact.serverHelloAt = at
            if !parsed.certificate.isEmpty {
                fact.serverCertificates = [certificates.parse(parsed.certificate)]
                fact.serverCertificatesAt = at
            }
            fact.sawEncryptedServerRecords = true
        }
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
        recorder.complete()
    }

    // MARK: handshake messages

    /// A ClientHello from the side taken for the server: the first packet
    /// misled the orientation. Swap roles if nothing was recorded yet.
    private func adoptServerSideClientHello(_ fact: inout HandshakeFact) {
        guard fact.clientHello == nil && fact.serverHello == nil, !swapRequested else { return }
        swapRequested = true
        requests.swapRoles = true
        fact.client = context.server
        fact.server = context.client
    }

    fileprivate func handshakeMessage(_ type: UInt8, body: RawSpan, from side: Side) {
        sawTLS = true
        recorder.reference = reference
        recorder.message(type, body: body, from: side)
        if type == HandshakeType.serverHello.rawValue, side == .server, let version = recorder.serverVersion {
            changeCipherSpecEncrypts = version < .tls13
        }
    }

    fileprivate func sslv2ClientHello(body: RawSpan, from side: Side) {
        sawTLS = true
        recorder.reference = reference
        recorder.update { fact in
            if side == .server { adoptServerSideClientHello(&fact) }
            if let hello = recorder.parse(body, "SSL 2.0 ClientHello", .tlsSSLv2ClientHelloMalformed, side: .client, into: &fact, {
                (reader: inout ByteReader) throws(ParseError) in try ClientHello(sslv2Message: &reader)
            }) {
                fact.clientHello = hello
                fact.clientHelloAt = reference
                fact.fingerprints = recorder.fingerprints(hello)
            }
        }
    }

    fileprivate func changeCipherSpec() -> Bool {
        sawTLS = true
        return changeCipherSpecEncrypts
    }

    fileprivate func alert(level: UInt8, description: UInt8, from side: Side) {
        sawTLS = true
        recorder.reference = reference
        recorder.alert(level: level, description: description, from: side)
    }

    fileprivate func encryptedRecord(from side: Side) {
        sawTLS = true
        recorder.update { fact in
            if side == .server { fact.sawEncryptedServerRecords = true } else { fact.sawEncryptedClientRecords = true }
        }
    }

    fileprivate func recordProblem(_ problem: TLSRecordProblem, _ detail: String, from side: Side) {
        sawTLS = true
        switch problem {
        case .recordHeaderInvalid, .handshakeMessageTooLong:
            let kind: ProtocolAnomaly = problem == .recordHeaderInvalid ? .tlsRecordHeaderInvalid : .tlsHandshakeMessageTooLong
            let at = reference
            recorder.update { $0.errors.append(ObservedError(sender: side, kind: kind, message: detail, at: at)) }
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
