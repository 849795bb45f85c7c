import CertificateModel
import Facts
import Flows
import Rules
import TLSModel
import WireBytes

/// Every view below is built once from facts and findings, with every
/// derived description already spelled; writers only lay them out. Strings
/// that came from the wire (names, paths, certificate fields, messages that
/// quote them) are carried as they were: each writer escapes for its format.

public struct EndpointView: Sendable, Hashable {
    public let ip: String
    public let port: UInt16
    /// `1.2.3.4:443` or `[::1]:443`.
    public let text: String

    public init(_ endpoint: Endpoint) {
        ip = endpoint.address.description
        port = endpoint.port
        text = endpoint.description
    }
}

public struct ReassemblyView: Sendable {
    public let retransmittedBytes: UInt64
    public let outOfOrderSegments: Int
    public let gaps: Int
    public let gapBytes: UInt64
    public let conflictingOverlaps: Int
    public let droppedForMemory: Int
}

public struct FlowView: Sendable {
    public let id: Int
    public let file: String
    public let transport: String
    public let client: EndpointView
    public let server: EndpointView
    public internal(set) var serverName: String?
    public let serverNameSource: String?
    public let application: String
    public let firstPacket: Int
    public let lastPacket: Int
    public let firstTime: String
    public let lastTime: String
    public let packets: Int
    public let clientBytes: UInt64
    public let serverBytes: UInt64
    public let startedMidStream: Bool
    public let plaintextProtocol: String?
    public let analyzers: [String]
    public let reassembly: ReassemblyView
    public let isPlaintext: Bool
    /// `first`, `third` or `unattributed`; nil for DNS flows (a resolver is nobody's recipient).
    public let party: String?
    public let sdk: SDKView?

    init(_ flow: FlowFact, file: String) {
        id = flow.id
        self.file = file
        transport = Describe.transport(flow.transport)
        client = EndpointView(flow.client)
        server = EndpointView(flow.server)
        serverName = flow.serverName?.name
        serverNameSource = flow.serverName?.source.rawValue
        application = flow.application.rawValue
        firstPacket = flow.first.packet
        lastPacket = flow.last.packet
        firstTime = Timestamp.iso8601(nanoseconds: flow.first.timeNanos)
        lastTime = Timestamp.iso8601(nanoseconds: flow.last.timeNanos)
        packets = flow.packets
        clientBytes = flow.clientBytes
        serverBytes = flow.serverBytes
        startedMidStream = flow.startedMidStream
        plaintextProtocol = flow.plaintextProtocol?.rawValue
        analyzers = flow.analyzers
        reassembly = ReassemblyView(retransmittedBytes: flow.retransmittedBytes, outOfOrderSegments: flow.outOfOrderSegments,
                                    gaps: flow.gaps, gapBytes: flow.gapBytes, conflictingOverlaps: flow.conflictingOverlaps,
                                    droppedForMemory: flow.droppedForMemory)
        isPlaintext = flow.application == .plaintext
        party = flow.party?.rawValue
        sdk = flow.sdk.map(SDKView.init)
    }
}

public struct SuiteView: Sendable {
    /// `0xC02F`.
    public let id: String
    public let name: String

    init(_ suite: CipherSuite) {
        id = suite.hexCode
        name = suite.name
    }
}

/// How the key was agreed: what a ServerKeyExchange or a TLS 1.3 key share showed.
public struct KeyExchangeView: Sendable {
    /// `ecdhe`, `dhe`, `rsa_export`, `psk`, `tlcp_ecc`, `srp`, `unknown`, or `key_share` (TLS 1.3).
    public let type: String
    public let group: String?
    public let dhPrimeBits: Int?
    public let rsaBits: Int?
    public let srpPrimeBits: Int?
    public let packet: Int?
    /// `ECDHE x25519`, `DHE 2048-bit prime`, … (nil for a TLS 1.3 key share, which the text report does not print).
    public let description: String?
    public let signature: String?

    init?(_ handshake: HandshakeFact) {
        guard let exchange = handshake.serverKeyExchange else {
            guard let group = handshake.serverHello?.keyShareGroup else { return nil }
            self.init(type: "key_share", group: group.name, packet: handshake.serverHelloAt?.packet, description: nil, signature: nil)
            return
        }
        let packet = handshake.serverKeyExchangeAt?.packet
        let signature = exchange.signatureScheme?.name
        switch exchange.parameters {
        case .ecdhe(_, let named):
            self.init(type: "ecdhe", group: named?.name ?? "explicit", packet: packet,
                      description: "ECDHE \(named?.name ?? "explicit curve")", signature: signature)
        case .dhe(let bits, _):
            self.init(type: "dhe", dhPrimeBits: bits, packet: packet, description: "DHE \(bits)-bit prime", signature: signature)
        case .rsaExport(let bits):
            self.init(type: "rsa_export", rsaBits: bits, packet: packet, description: "RSA export \(bits)-bit", signature: signature)
        case .psk:
            self.init(type: "psk", packet: packet, description: "PSK", signature: signature)
        case .tlcpECC:
            self.init(type: "tlcp_ecc", packet: packet, description: "TLCP ECC (SM2)", signature: signature)
        case .srp(let bits):
            self.init(type: "srp", srpPrimeBits: bits, packet: packet, description: "SRP \(bits)-bit", signature: signature)
        case .unknown:
            self.init(type: "unknown", packet: packet, description: "unknown", signature: signature)
        }
    }

    private init(type: String, group: String? = nil, dhPrimeBits: Int? = nil, rsaBits: Int? = nil, srpPrimeBits: Int? = nil,
                 packet: Int?, description: String?, signature: String?) {
        self.type = type
        self.group = group
        self.dhPrimeBits = dhPrimeBits
        self.rsaBits = rsaBits
        self.srpPrimeBits = srpPrimeBits
        self.packet = packet
        self.description = description
        self.signature = signature
    }
}

public struct SignatureAlgorithmView: Sendable {
    public let oid: String
    public let name: String
    public let hash: String
}

public struct CertificateView: Sendable {
    public internal(set) var subject: String?
    public internal(set) var issuer: String?
    public let serialNumber: String?
    /// `rsa`, `ec`, …; `unknown` for bytes that are not DER.
    public let keyType: String
    public let keyBits: Int?
    public let curve: String?
    public let securityBits: Int?
    public let signature: SignatureAlgorithmView?
    public let notBefore: String?
    public let notAfter: String?
    public internal(set) var subjectAlternativeNames: [String]
    public let selfIssued: Bool
    public let sha256: String
    public let notDERReason: String?
    public let byteCount: Int?
    /// `rsa 2048` or `ec 256 prime256v1`.
    public let keyDescription: String

    init(_ entry: CertificateParseResult) {
        if let certificate = entry.certificate {
            let key = certificate.publicKey
            subject = certificate.subject.rendered
            issuer = certificate.issuer.rendered
            serialNumber = certificate.serialNumber
            keyType = key.keyType.rawValue
            keyBits = key.bits
            curve = key.curveName
            securityBits = key.securityBits
            signature = SignatureAlgorithmView(oid: certificate.signatureAlgorithm.oid, name: certificate.signatureAlgorithm.name,
                                               hash: certificate.signatureAlgorithm.hash.rawValue)
            notBefore = certificate.notBefore.map { Timestamp.iso8601(seconds: $0) }
            notAfter = certificate.notAfter.map { Timestamp.iso8601(seconds: $0) }
            subjectAlternativeNames = certificate.subjectAlternativeNames
            selfIssued = certificate.isSelfIssued
            sha256 = certificate.sha256
            notDERReason = nil
            byteCount = nil
            keyDescription = key.summary
        } else {
            let broken = entry.notDER
            subject = nil
            issuer = nil
            serialNumber = nil
            keyType = "unknown"
            keyBits = nil
            curve = nil
            securityBits = nil
            signature = nil
            notBefore = nil
            notAfter = nil
            subjectAlternativeNames = []
            selfIssued = false
            sha256 = broken?.sha256 ?? ""
            notDERReason = broken?.reason ?? ""
            byteCount = broken?.byteCount
            keyDescription = "unknown"
        }
    }
}

public struct AlertView: Sendable {
    public let sender: String
    public let fatal: Bool
    public let level: String
    public let description: String
    public let code: UInt8
    public let packet: Int

    init(_ alert: ObservedAlert) {
        sender = alert.sender.rawValue
        fatal = alert.isFatal
        level = alert.isFatal ? "fatal" : "warning"
        description = alert.description.name
        code = alert.description.rawValue
        packet = alert.at.packet
    }
}

public struct HandshakeErrorView: Sendable {
    public let sender: String
    public let kind: String
    public let packet: Int
    public let message: String
}

/// The SOCKS tunnel a handshake ran inside.
public struct TunnelView: Sendable {
    public let kind: String
    public let host: String
    public let port: UInt16
    public let packet: Int
}

public struct HandshakeView: Sendable {
    public let flow: Int
    public let file: String
    public let client: EndpointView
    public let server: EndpointView
    public let clientHelloPacket: Int?
    public let serverHelloPacket: Int?
    public let firstPacket: Int?
    public let time: String?
    public internal(set) var sni: String?
    /// The name the text report groups it under: its SNI, else its flow's name.
    public internal(set) var groupName: String?
    public let offeredVersions: [String]
    public let version: String?
    public let cipherSuite: SuiteView?
    public let offeredCipherSuites: [SuiteView]
    /// Offered suites without GREASE values.
    public let offeredSuiteCount: Int
    public let alpn: [String]
    public let selectedALPN: String?
    public let supportedGroups: [String]
    public let signatureAlgorithms: [String]
    public let keyShareGroups: [String]
    public let helloRetryRequest: Bool
    public let retriedClientHelloPacket: Int?
    public let keyExchange: KeyExchangeView?
    public let serverKeyExchangeSignature: String?
    public let certificatesPacket: Int?
    public internal(set) var certificates: [CertificateView]
    public let certificatesObservable: Bool
    /// TLS 1.3 with no certificate in the clear: say so rather than show nothing.
    public let certificatesEncrypted: Bool
    public let certificateRequestPacket: Int?
    public let certificateRequestSignatureAlgorithms: [String]?
    public internal(set) var clientCertificates: [CertificateView]
    public let clientCertificateVerifySignature: String?
    public let alerts: [AlertView]
    /// The first fatal alert, else the first alert.
    public let alert: AlertView?
    public let ja3: String?
    public let ja3String: String?
    public let ja4: String?
    public let errors: [HandshakeErrorView]
    /// `tls` (records over TCP), `dtls` or `quic`.
    public let transport: String
    /// `0x00000001`, for handshakes carried in QUIC Initials.
    public let quicVersion: String?
    public let helloVerifyRequestPacket: Int?
    public let srtpProfilesOffered: [String]
    public let srtpProfile: String?
    /// The protocol a STARTTLS-style upgrade came from (`smtp`, `imap`, …).
    public let upgradedFrom: String?
    public let tunnel: TunnelView?
    /// SSL 2.0: the cipher kinds the SERVER-HELLO lists, and the one the CLIENT-MASTER-KEY chose.
    public let sslv2ServerCipherSpecs: [String]
    public let sslv2ChosenCipherSpec: String?

    init(_ handshake: HandshakeFact, file: String) {
        transport = handshake.transport.rawValue
        quicVersion = handshake.quicVersion.map { "0x" + String(repeating: "0", count: 8 - String($0, radix: 16).count) + String($0, radix: 16) }
        helloVerifyRequestPacket = handshake.helloVerifyRequestAt?.packet
        srtpProfilesOffered = handshake.clientHello?.srtpProfiles.map(\.name) ?? []
        srtpProfile = handshake.serverHello?.srtpProfile?.name
        upgradedFrom = handshake.upgradedFrom
        tunnel = handshake.tunnel.map { TunnelView(kind: $0.kind, host: $0.host, port: $0.port, packet: $0.at.packet) }
        sslv2ServerCipherSpecs = handshake.serverHello?.sslv2CipherSpecs.map(\.name) ?? []
        sslv2ChosenCipherSpec = handshake.sslv2ChosenCipherKind.map { SSLv2CipherKind($0).name }
        flow = handshake.flow
        self.file = file
        client = EndpointView(handshake.client)
        server = EndpointView(handshake.server)
        clientHelloPacket = handshake.clientHelloAt?.packet
        serverHelloPacket = handshake.serverHelloAt?.packet
        firstPacket = handshake.firstReference?.packet
        time = handshake.firstReference.map { Timestamp.iso8601(nanoseconds: $0.timeNanos) }
        sni = handshake.serverName
        groupName = handshake.serverName ?? handshake.flowServerName?.name
        let hello = handshake.clientHello
        offeredVersions = hello?.namedVersions.map(\.name) ?? []
        version = handshake.negotiatedVersion?.name
        // SSL 2.0 names no suite (its cipher kinds are listed below).
        cipherSuite = handshake.serverHello.flatMap { $0.legacyVersion == .ssl2 ? nil : SuiteView($0.cipherSuite) }
        offeredCipherSuites = hello?.cipherSuites.map(SuiteView.init) ?? []
        offeredSuiteCount = hello?.cipherSuites.filter { !$0.isGREASE }.count ?? 0
        alpn = hello?.alpn ?? []
        selectedALPN = handshake.serverHello?.alpn
        supportedGroups = hello?.supportedGroups.map(\.name) ?? []
        signatureAlgorithms = hello?.signatureAlgorithms.map(\.name) ?? []
        keyShareGroups = hello?.keyShareGroups.map(\.name) ?? []
        helloRetryRequest = handshake.helloRetryRequested
        retriedClientHelloPacket = handshake.retriedClientHelloAt?.packet
        keyExchange = KeyExchangeView(handshake)
        serverKeyExchangeSignature = handshake.serverKeyExchange?.signatureScheme?.name
        certificatesPacket = handshake.serverCertificatesAt?.packet
        certificates = handshake.serverCertificates.map(CertificateView.init)
        certificatesObservable = handshake.certificatesObservable
        certificatesEncrypted = handshake.negotiatedVersion?.isTLS13Family == true && handshake.serverCertificates.isEmpty
        certificateRequestPacket = handshake.certificateRequestAt?.packet
        certificateRequestSignatureAlgorithms = handshake.certificateRequest?.signatureAlgorithms.map(\.name)
        clientCertificates = handshake.clientCertificates.map(CertificateView.init)
        clientCertificateVerifySignature = handshake.clientCertificateVerify?.signatureScheme?.name
        alerts = handshake.alerts.map(AlertView.init)
        alert = (handshake.alerts.first(where: \.isFatal) ?? handshake.alerts.first).map(AlertView.init)
        ja3 = handshake.fingerprints?.ja3
        ja3String = handshake.fingerprints?.ja3String
        ja4 = handshake.fingerprints?.ja4
        errors = handshake.errors.map {
            HandshakeErrorView(sender: $0.sender.rawValue, kind: $0.kind.rawValue, packet: $0.at.packet, message: $0.message)
        }
    }
}

public struct HTTPView: Sendable {
    public let method: String?
    public internal(set) var host: String?
    public internal(set) var path: String?
    public let status: Int?
}

/// A PI item as a report may show it: masked, unless the run reveals values.
public struct PIView: Sendable {
    public let type: String
    public let masked: String
    /// The raw value: set only when the report reveals (`--reveal`).
    public let value: String?
    public internal(set) var decoding: [String]
    public internal(set) var field: String?
    public let confirmed: Bool
    public let confidence: Double
    public let count: Int
    public let sender: String
    public let carrier: String
    public internal(set) var detail: String?

    init(_ observation: PIObservation, reveal: Bool) {
        let sighting = observation.first
        let match = sighting.match
        type = match.type.rawValue
        masked = match.masked
        value = reveal ? match.value : nil
        decoding = match.decoding
        field = match.field
        confirmed = observation.confirmed
        confidence = match.confidence
        count = observation.count
        sender = sighting.sender.rawValue
        carrier = sighting.carrier.rawValue
        detail = match.detail
    }
}

public struct EvidenceView: Sendable {
    public let name: String
    public internal(set) var value: String
}

public struct FindingView: Sendable {
    public let rule: RuleID
    public let title: String
    public let severity: Severity
    public let clause: String
    public internal(set) var message: String
    public let file: String
    /// The input's position on the command line.
    public let fileIndex: Int
    public let flow: Int?
    public let packets: [Int]
    public let time: String?
    public internal(set) var serverName: String?
    public let client: EndpointView?
    public let server: EndpointView?
    public internal(set) var evidence: [EvidenceView]
    public internal(set) var pii: PIView?
    public internal(set) var http: HTTPView?
    /// The sharing record's name for the recipient, and its SDK id.
    public internal(set) var recipient: String?
    public let sdk: String?

    init(_ finding: Finding, file: String, reveal: Bool) {
        rule = finding.rule
        title = finding.title
        severity = finding.severity
        clause = finding.clause
        message = finding.message
        self.file = file
        fileIndex = finding.file
        flow = finding.flow
        packets = finding.packets
        time = finding.timeNanos.map(Timestamp.iso8601(nanoseconds:))
        serverName = finding.serverName
        client = finding.client.map(EndpointView.init)
        server = finding.server.map(EndpointView.init)
        evidence = finding.evidence.map { EvidenceView(name: $0.name, value: $0.value) }
        pii = finding.personalInformation.map { PIView($0, reveal: reveal) }
        http = finding.personalInformation?.first.http.map {
            HTTPView(method: $0.method, host: $0.host, path: $0.path, status: $0.status)
        }
        recipient = finding.recipient
        sdk = finding.sdk
    }
}

/// Spellings shared by every view.
public enum Describe {
    public static func transport(_ value: UInt8) -> String {
        switch value {
        case 6: "tcp"
        case 17: "udp"
        default: "ip-\(value)"
        }
    }
}
