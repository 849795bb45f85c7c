import Facts
import Rules

/// What a streaming writer is handed while the run goes on.
public enum ReportItem: Sendable {
    case flow(FlowView)
    case handshake(HandshakeView)
    case finding(FindingView)
    case progress(ProgressView)
}

/// Counts so far, for periodic progress lines.
public struct ProgressView: Sendable {
    public let file: String
    /// Bytes of the input read so far (record headers included).
    public let bytes: UInt64
    public let packets: Int
    public let flows: Int
    public let handshakes: Int
    public let findings: Int
    public let personalInformation: Int

    public init(file: String, bytes: UInt64, packets: Int, flows: Int, handshakes: Int, findings: Int, personalInformation: Int) {
        self.file = file
        self.bytes = bytes
        self.packets = packets
        self.flows = flows
        self.handshakes = handshakes
        self.findings = findings
        self.personalInformation = personalInformation
    }
}

/// Builds the report model from the enriched event stream and the rules'
/// findings, each view made once, as its fact becomes known; `onItem` sees
/// every view at that moment (streaming writers, live output).
public final class ReportBuilder: FactSink {
    private var inputPaths: [String]
    private let reveal: Bool
    /// Nil when the run reveals PI.
    private let masking: (any WireTextMasking)?
    private let onItem: ((ReportItem) -> Void)?
    /// Flows that carried payload, and flows that never did (a SYN flood is
    /// all of the second kind): together at most `maximumFlows`, the second
    /// giving way to the first, so a flood cannot push out what matters.
    private var flowsWithPayload: [FlowView] = []
    private var flowsWithoutPayload: [FlowView] = []
    private let maximumFlows: Int
    public static let maximumFlowsWithoutPayload = 1_000
    public private(set) var flowsOmitted = 0
    private let counters: LimitCounters
    private var handshakes: [(key: HandshakeOrder, view: HandshakeView)] = []
    private var findings: [(key: FindingOrder, view: FindingView)] = []
    private var anomalies: [ProtocolAnomaly: Int] = [:]
    public private(set) var handshakeCount = 0
    public private(set) var findingCount = 0
    public private(set) var personalInformationSightings = 0

    private struct HandshakeOrder: Comparable {
        var flow: Int
        var packet: Int
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.flow, lhs.packet) < (rhs.flow, rhs.packet) }
    }

    private struct FindingOrder: Comparable {
        var file: Int
        var flow: Int
        var packet: Int
        var rule: RuleID
        var ordinal: Int
        var message: String
        static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.file != rhs.file { return lhs.file < rhs.file }
            if lhs.flow != rhs.flow { return lhs.flow < rhs.flow }
            if lhs.packet != rhs.packet { return lhs.packet < rhs.packet }
            if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
            if lhs.ordinal != rhs.ordinal { return lhs.ordinal < rhs.ordinal }
            return lhs.message < rhs.message
        }
    }

    public init(inputPaths: [String], reveal: Bool, masking: (any WireTextMasking)? = nil, maximumFlows: Int = 100_000,
                counters: LimitCounters = LimitCounters(), onItem: ((ReportItem) -> Void)? = nil) {
        self.maximumFlows = max(0, maximumFlows)
        self.counters = counters
        self.inputPaths = inputPaths
        self.reveal = reveal
        self.masking = reveal ? nil : masking
        self.onItem = onItem
    }

    private func path(_ file: Int) -> String { file < inputPaths.count ? inputPaths[file] : "?" }

    public func receive(_ event: FactEvent) {
        switch event {
        case .flowClosed(let flow):
            let carriedPayload = flow.clientBytes + flow.serverBytes > 0
            // A flow that never carried a byte (a SYN, a scan probe) is counted, and listed only up to a thousand.
            if !carriedPayload && flowsWithoutPayload.count >= min(maximumFlows, Self.maximumFlowsWithoutPayload) {
                flowsOmitted += 1
                return
            }
            if flowsWithPayload.count + flowsWithoutPayload.count >= maximumFlows {
                guard carriedPayload, !flowsWithoutPayload.isEmpty else {
                    flowsOmitted += 1
                    return
                }
                flowsWithoutPayload.removeLast()
                flowsOmitted += 1
            }
            var view = FlowView(flow, file: path(flow.file))
            if let masking { view.redact(masking) }
            if carriedPayload { flowsWithPayload.append(view) } else { flowsWithoutPayload.append(view) }
            onItem?(.flow(view))
        case .handshakeComplete(let handshake):
            var view = HandshakeView(handshake, file: path(handshake.file))
            if let masking { view.redact(masking) }
            handshakes.append((HandshakeOrder(flow: handshake.flow, packet: handshake.firstReference?.packet ?? 0), view))
            handshakeCount += 1
            onItem?(.handshake(view))
        case .anomaly(let anomaly):
            anomalies[anomaly.kind, default: 0] += 1
        case .piSighting(let sighting):
            personalInformationSightings += 1
            masking?.learn(sighting.match)
        case .flowOpened, .httpMessage, .dnsAnswer, .decryptionSecrets:
            break
        }
    }

    public func add(_ finding: Finding) {
        var view = FindingView(finding, file: path(finding.file), reveal: reveal)
        if let masking { view.redact(masking) }
        findings.append((FindingOrder(file: finding.file, flow: finding.flow ?? 0, packet: finding.packets.first ?? 0,
                                      rule: finding.rule, ordinal: finding.ordinal, message: finding.message), view))
        findingCount += 1
        onItem?(.finding(view))
    }

    private func recordOmitted() -> LimitCounters {
        counters.set(.reportFlows, count: flowsOmitted)
        return counters
    }

    public func progress(_ view: ProgressView) {
        onItem?(.progress(view))
    }

    /// The report, sorted: flows by id, handshakes by flow and first packet,
    /// findings by file, flow, first packet, rule id and message.
    public func build(toolVersion: String, generatedAt: String, policy: Policy, inputs: [InputView],
                      recipients: [RecipientRecord] = [], statistics: DissectionStatistics, failOn: Severity?) -> Report {
        Report(toolVersion: toolVersion, generatedAt: generatedAt, policy: policy, inputs: inputs,
               flows: (flowsWithPayload + flowsWithoutPayload).sorted { $0.id < $1.id },
               handshakes: handshakes.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.view),
               findings: findings.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.view),
               recipients: recipients.map { record in
                   var view = RecipientView(record)
                   if let masking { view.redact(masking) }
                   return view
               },
               statistics: statistics, anomalies: anomalies, limits: recordOmitted(), flowsOmitted: flowsOmitted, failOn: failOn, reveal: reveal)
    }
}
