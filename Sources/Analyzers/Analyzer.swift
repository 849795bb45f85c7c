import Facts
import Flows
import PacketDecoding
import ProtocolHTTP
import WireBytes

/// What a probe says of a side's first bytes.
public enum ProbeResult: Sendable, Equatable {
    /// This analyzer speaks it.
    case match
    /// It cannot be this protocol.
    case noMatch
    /// Undecided until more bytes arrive (a probe bounds how many it waits for).
    case needMoreBytes
}

/// What an analyzer asks of its flow after a call: to stop sending a side
/// (nothing more to learn from it), to hand a side's remaining bytes back
/// for probing (a tunnel or an upgrade: CONNECT, STARTTLS, decrypted TLS),
/// or to swap client and server (a ClientHello showed the first packet misled).
public struct FlowRequests: Sendable {
    public private(set) var stopClient = false
    public private(set) var stopServer = false
    public private(set) var handOffClient: [UInt8]?
    public private(set) var handOffServer: [UInt8]?
    public var swapRoles = false

    public init() {}

    public mutating func stop(_ side: Side) {
        if side == .client { stopClient = true } else { stopServer = true }
    }

    /// The rest of `side` is another protocol: `held` holds what the analyzer
    /// had buffered but not consumed; everything after it follows.
    public mutating func handOff(_ side: Side, held: [UInt8]) {
        if side == .client { handOffClient = held } else { handOffServer = held }
    }

    public var isEmpty: Bool { !stopClient && !stopServer && handOffClient == nil && handOffServer == nil && !swapRoles }
}

/// An analyzer of reassembled TCP byte streams. One instance per flow serves
/// both sides; each side is probed on its own and joins an instance of the
/// analyzer its first bytes match (Zeek's PIA, Suricata's probing parsers).
public protocol StreamAnalyzer: AnyObject, SendableMetatype {
    /// Stable registry name, listed in the flow's `analyzers`.
    static var name: String { get }
    /// Decides from the first bytes of one side (all of them so far) whether
    /// this analyzer speaks it. `afterGap`: the side may begin inside a message.
    /// `final`: no more bytes will come before a decision is needed.
    static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult

    init(context: FlowContext)
    /// `side` starts feeding this analyzer; `afterGap` as for `probe`.
    func attach(_ side: Side, afterGap: Bool)
    /// In-order bytes of one side; `packet` carried (or completed) them.
    func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests)
    /// Bytes of `side` were lost (a hole the capture never filled), noticed
    /// while `reference` was being delivered.
    func noteGap(from side: Side, at reference: PacketReference)
    /// The flow ends: hand out what is pending.
    func finish(at last: PacketReference)
    /// The flow swapped client and server after this analyzer asked it to.
    func rolesSwapped()
    /// What the flow is labelled when this analyzer is the most specific one.
    var plaintextProtocol: PlaintextProtocol? { get }
    /// `.tls` or `.tlcp` once the analyzer saw that protocol on the wire.
    var encryption: FlowApplication? { get }
    /// What the flow's `analyzers` list calls this instance when its registry
    /// name is too broad (the upgrade analyzer names the protocol it found: `smtp`).
    var flowLabel: String? { get }
}

extension StreamAnalyzer {
    public func rolesSwapped() {}
    public var encryption: FlowApplication? { nil }
    public var flowLabel: String? { nil }
}

/// An analyzer of one UDP flow's datagrams, chosen by the flow's first datagram.
public protocol DatagramAnalyzer: AnyObject, SendableMetatype {
    static var name: String { get }
    static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult
    init(context: FlowContext)
    func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference)
    /// The flow ends: hand out what is pending.
    func finish(at last: PacketReference)
    var plaintextProtocol: PlaintextProtocol? { get }
}

extension DatagramAnalyzer {
    public func finish(at last: PacketReference) {}
}

/// The analyzers the dissector consults, in the order they are probed: a
/// new protocol is a new type and a line here. The fallbacks take a side or
/// a flow nothing else matched (the raw PI scan; only when PI inspection is on).
public struct AnalyzerRegistry: Sendable {
    public var stream: [any StreamAnalyzer.Type]
    public var streamFallback: (any StreamAnalyzer.Type)?
    public var datagram: [any DatagramAnalyzer.Type]
    public var datagramFallback: (any DatagramAnalyzer.Type)?

    public init(stream: [any StreamAnalyzer.Type], streamFallback: (any StreamAnalyzer.Type)?,
                datagram: [any DatagramAnalyzer.Type], datagramFallback: (any DatagramAnalyzer.Type)?) {
        self.stream = stream
        self.streamFallback = streamFallback
        self.datagram = datagram
        self.datagramFallback = datagramFallback
    }

    /// Every protocol wirecheck follows.
    public static let standard = AnalyzerRegistry(
        stream: [TLSAnalyzer.self, HTTPAnalyzer.self, SOCKSAnalyzer.self, UpgradeAnalyzer.self, DNSStreamAnalyzer.self],
        streamFallback: RawStreamScanner.self,
        datagram: [QUICAnalyzer.self, DTLSAnalyzer.self, DNSDatagramAnalyzer.self],
        datagramFallback: RawDatagramScanner.self)
}

/// Shared by every flow of a run: where events go and the services analyzers use.
public final class AnalyzerEnvironment {
    public let sink: any FactSink
    /// Nil when personal-information inspection is off.
    public let inspection: PlaintextInspection?
    /// Every cap hit of the run, counted where it happens.
    public let limits: LimitCounters
    /// The HTTP parser's caps every HTTP analyzer of the run uses.
    public let httpLimits: HTTPLimits
    let certificates = CertificateCache()

    public init(sink: any FactSink, inspection: PlaintextInspection?, limits: LimitCounters = LimitCounters(),
                httpLimits: HTTPLimits = HTTPLimits()) {
        self.sink = sink
        self.inspection = inspection
        self.limits = limits
        self.httpLimits = httpLimits
    }
}

/// One flow as its analyzers see it: who it joins, and where to emit facts.
public final class FlowContext {
    public let id: Int
    public let file: Int
    public let transport: UInt8
    public internal(set) var client: Endpoint
    public internal(set) var server: Endpoint
    public let environment: AnalyzerEnvironment
    /// UDP payload bytes the PI scan may still read on this flow.
    var datagramScanBudget: Int
    /// Set by a tunnel analyzer (SOCKS) once the proxy accepted: what the
    /// handshakes inside are addressed to.
    public internal(set) var tunnel: TunnelFact?
    /// Set by an upgrade analyzer (STARTTLS and kin) when the stream turns to TLS.
    public internal(set) var upgradedFrom: String?

    /// Made by the dissector for each flow; public so an analyzer can be driven
    /// on its own (drip-feed tests, fuzzing).
    public init(id: Int, file: Int, transport: UInt8, client: Endpoint, server: Endpoint, environment: AnalyzerEnvironment) {
        self.id = id
        self.file = file
        self.transport = transport
        self.client = client
        self.server = server
        self.environment = environment
        datagramScanBudget = environment.inspection?.maximumRawBytesPerDirection ?? 0
    }

    /// A flow of its own between loopback ports, for driving an analyzer outside
    /// a dissector (drip-feed tests, fuzzing).
    public static func standalone(transport: UInt8, serverPort: UInt16, environment: AnalyzerEnvironment) -> FlowContext {
        let endpoint = { (port: UInt16) in Endpoint(address: IPAddress(ipv4: 0x7F00_0001), port: port) }
        return FlowContext(id: 1, file: 0, transport: transport, client: endpoint(40000), server: endpoint(serverPort), environment: environment)
    }

    @inline(__always)
    public func emit(_ event: FactEvent) {
        environment.sink.receive(event)
    }

    public func emitAnomaly(_ kind: ProtocolAnomaly, from side: Side, _ detail: String, at reference: PacketReference) {
        emit(.anomaly(AnomalyFact(kind: kind, flow: id, side: side, detail: detail, at: reference)))
    }

    public func reference(packet: Int, timeNanos: Int64) -> PacketReference {
        PacketReference(file: file, packet: packet, timeNanos: timeNanos)
    }
}
