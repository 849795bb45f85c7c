import Flows

/// What a flow turned out to carry, as the report classifies it.
public enum FlowApplication: String, Sendable {
    case tls
    case tlcp
    case plaintext
    /// Packets without payload (handshakes only, or nothing but ACKs).
    case empty
    /// UDP, not yet analysed by protocol.
    case udp
}

/// The plaintext protocol a flow spoke. Raw values are the JSON contract's
/// `plaintext_protocol` strings.
public enum PlaintextProtocol: String, Sendable, Comparable {
    case unknown, dns, http, websocket

    /// A flow that spoke several (HTTP, then WebSocket) is labelled by the most specific.
    var rank: Int {
        switch self {
        case .unknown: 0
        case .dns: 1
        case .http: 2
        case .websocket: 3
        }
    }

    public static func < (lhs: PlaintextProtocol, rhs: PlaintextProtocol) -> Bool { lhs.rank < rhs.rank }
}

/// Whose server a flow talks to: the app's own (its first-party domains), a
/// third party's (an SDK the catalogue names), or nobody known.
public enum Party: String, Sendable {
    case first, third, unattributed
}

/// The SDK a flow's server belongs to, and how that was decided.
public struct SDKAttribution: Sendable, Hashable {
    public var id: String
    public var name: String
    public var nameZH: String?
    public var vendor: String
    public var category: String
    /// The catalogue pattern's confidence: `high`, `medium` or `low`.
    public var confidence: String
    /// The pattern as the catalogue spells it (`ulogs.umeng.com`, `*.log.aliyuncs.com`, `203.107.1.0/24`).
    public var pattern: String
    /// `exact`, `suffix`, `wildcard` or `network`.
    public var patternKind: String
    /// What was matched: a `ServerNameSource` raw value, or `address`.
    public var matchedSource: String
    /// The SDK's own notice says it collects PI.
    public var collectsPI: Bool

    public init(id: String, name: String, nameZH: String?, vendor: String, category: String, confidence: String, pattern: String,
                patternKind: String, matchedSource: String, collectsPI: Bool) {
        self.id = id
        self.name = name
        self.nameZH = nameZH
        self.vendor = vendor
        self.category = category
        self.confidence = confidence
        self.pattern = pattern
        self.patternKind = patternKind
        self.matchedSource = matchedSource
        self.collectsPI = collectsPI
    }
}

/// A flow's first packet: who talks to whom, before anything is known of what they say.
public struct FlowOpened: Sendable {
    public var id: Int
    public var file: Int
    public var transport: UInt8
    public var client: Endpoint
    public var server: Endpoint
    public var first: PacketReference

    public init(id: Int, file: Int, transport: UInt8, client: Endpoint, server: Endpoint, first: PacketReference) {
        self.id = id
        self.file = file
        self.transport = transport
        self.client = client
        self.server = server
        self.first = first
    }
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
    /// Set by the naming enricher when the flow closes.
    public var serverName: ServerName?
    public var startedMidStream: Bool
    public var sawSYN: Bool
    public var retransmittedBytes: UInt64
    public var outOfOrderSegments: Int
    public var gaps: Int
    public var gapBytes: UInt64
    public var conflictingOverlaps: Int
    public var conflictPackets: [Int]
    /// Times the flow's reassembly gave up waiting for a hole because a memory cap was reached.
    public var droppedForMemory: Int
    /// What a plaintext flow spoke; nil for encrypted and empty flows.
    public var plaintextProtocol: PlaintextProtocol?
    /// The analyzers that took part, in the order they joined (`http`, then `tls` after CONNECT).
    public var analyzers: [String]
    /// Set by the attribution enricher when the flow closes.
    public var party: Party?
    public var sdk: SDKAttribution?

    public init(id: Int, file: Int, transport: UInt8, client: Endpoint, server: Endpoint, first: PacketReference,
                last: PacketReference, packets: Int, clientBytes: UInt64, serverBytes: UInt64, application: FlowApplication,
                serverName: ServerName? = nil, startedMidStream: Bool, sawSYN: Bool, retransmittedBytes: UInt64,
                outOfOrderSegments: Int, gaps: Int, gapBytes: UInt64, conflictingOverlaps: Int, conflictPackets: [Int],
                droppedForMemory: Int, plaintextProtocol: PlaintextProtocol?, analyzers: [String]) {
        self.id = id
        self.file = file
        self.transport = transport
        self.client = client
        self.server = server
        self.first = first
        self.last = last
        self.packets = packets
        self.clientBytes = clientBytes
        self.serverBytes = serverBytes
        self.application = application
        self.serverName = serverName
        self.startedMidStream = startedMidStream
        self.sawSYN = sawSYN
        self.retransmittedBytes = retransmittedBytes
        self.outOfOrderSegments = outOfOrderSegments
        self.gaps = gaps
        self.gapBytes = gapBytes
        self.conflictingOverlaps = conflictingOverlaps
        self.conflictPackets = conflictPackets
        self.droppedForMemory = droppedForMemory
        self.plaintextProtocol = plaintextProtocol
        self.analyzers = analyzers
    }
}
