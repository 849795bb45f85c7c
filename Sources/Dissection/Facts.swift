import Flows
import PacketDecoding
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
import Detectors

/// Where a fact was seen: the input file (by index into the run's inputs),
/// the packet number in that file and its capture time.
public struct PacketReference: Sendable, Hashable {
    public var file: Int
    public var packet: Int
    public var timeNanos: Int64
}

public enum FlowApplication: String, Sendable {
    case tls
    case tlcp
    case plaintext
    /// Packets without payload (handshakes only, or nothing but ACKs).
    case empty
    /// UDP, not yet analysed by protocol.
    case udp
}

/// One TCP connection or UDP session, as the report lists it.
public struct FlowFact: Sendable {
    public var id: Int
    public var file: Int
    public var transport: UInt8
    public var client: Endpoint
    public var server: Endpoint
    public var first: PacketReference
    public var last: PacketReference
    public var packets: Int
    public var clientBytes: UInt64
    public var serverBytes: UInt64
    public var application: FlowApplication
    public var serverName: String?
    /// Where the name came from: "sni", "http_host" or "dns".
    public var serverNameSource: String?
    public var startedMidStream: Bool
    public var sawSYN: Bool
    public var retransmittedBytes: UInt64
    public var outOfOrderSegments: Int
    public var gaps: Int
    public var gapBytes: UInt64
    public var conflictingOverlaps: Int
    public var conflictPackets: [Int]
    /// The flow stopped being inspected because a memory cap was reached.
    public var droppedForMemory: Int
    /// What a plaintext flow spoke: "http", "websocket", "dns" or "unknown".
    public var plaintextProtocol: String?
}

public enum Side: String, Sendable {
    case client, server
}

public struct ObservedAlert: Sendable {
    public var sender: Side
    public var level: UInt8
    public var description: AlertDescription
    public var at: PacketReference
    public var isFatal: Bool { level == 2 }
}

public struct ObservedError: Sendable {
    public var sender: Side
    public var message: String
    public var at: PacketReference
}

/// Everything one TLS or TLCP handshake showed in the clear.
public struct HandshakeFact: Sendable {
    public var flow: Int
    public var file: Int
    public var client: Endpoint
    public var server: Endpoint
    public var clientHello: ClientHello?
    public var clientHelloAt: PacketReference?
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
}

/// What a whole run saw, in the order things were first seen.
public struct DissectionResult: Sendable {
    public var flows: [FlowFact] = []
    public var handshakes: [HandshakeFact] = []
    public var personalInformation: [PIObservation] = []
    public var statistics = DissectionStatistics()
    public init() {}
}

public struct DissectionStatistics: Sendable {
    public var packets = 0
    public var ipPackets = 0
    public var tcpPackets = 0
    public var udpPackets = 0
    public var otherPackets = 0
    public var malformedPackets = 0
    public var unsupportedLinkPackets = 0
    public var fragmentsReassembled = 0
    public var fragmentsDropped = 0
    public var flowsExpired = 0
    /// Flows finished early because too many were open at once.
    public var flowsEvicted = 0
    /// Packets whose time jumped more than a day ahead (the idle clock ignored them).
    public var clockJumps = 0
    /// Flows whose reassembly stopped because the global memory cap was hit.
    public var flowsHitMemoryCap = 0
    public var segmentsDroppedForMemory = 0
    public var peakHeldBytes = 0
    public init() {}
}

/// The HTTP request (or response) a PI item travelled in.
public struct HTTPContext: Sendable, Hashable {
    public var method: String?
    public var host: String?
    public var path: String?
    public var status: Int?
}

/// One personal-information item seen in plaintext: the first sighting's
/// details, folded with every repeat of the same (type, value) in the flow.
public struct PIObservation: Sendable {
    public var flow: Int
    public var file: Int
    public var sender: Side
    public var match: PIMatch
    public var http: HTTPContext?
    /// First and last packets that carried it (up to 16).
    public var packets: [Int]
    public var first: PacketReference
    public var count: Int
    /// What carried it: "http", "websocket", "dns", "tcp", "udp".
    public var carrier: String
}
