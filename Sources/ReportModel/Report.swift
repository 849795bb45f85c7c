import Facts
import Rules
import WireBytes

/// One input as the evidence header names it.
public struct InputView: Sendable {
    public struct ErrorView: Sendable {
        public var kind: String
        public var packet: Int?
        public var offset: UInt64?
        public var message: String

        public init(kind: String, packet: Int?, offset: UInt64?, message: String) {
            self.kind = kind
            self.packet = packet
            self.offset = offset
            self.message = message
        }
    }

    public var path: String
    public var format: String?
    public var bytes: UInt64
    public var sha256: String
    public var packets: Int
    public var packetsSkipped: Int
    public var firstTime: String?
    public var lastTime: String?
    public var linkTypes: [String]
    public var comments: [String]
    public var errors: [ErrorView]
    /// False when the file could not be read at all.
    public var readable: Bool
    /// pcapng Decryption Secrets Blocks in the file.
    public var decryptionSecrets: Int
    /// The declared sharing list the run compared against, if any.
    public var declaredList: DeclaredListView?

    public init(path: String, format: String?, bytes: UInt64, sha256: String, packets: Int, packetsSkipped: Int,
                firstTimeNanos: Int64?, lastTimeNanos: Int64?, linkTypes: [String], comments: [String],
                errors: [ErrorView], readable: Bool, decryptionSecrets: Int) {
        self.path = path
        self.format = format
        self.bytes = bytes
        self.sha256 = sha256
        self.packets = packets
        self.packetsSkipped = packetsSkipped
        firstTime = firstTimeNanos.map(Timestamp.iso8601(nanoseconds:))
        lastTime = lastTimeNanos.map(Timestamp.iso8601(nanoseconds:))
        self.linkTypes = linkTypes
        self.comments = comments
        self.errors = errors
        self.readable = readable
        self.decryptionSecrets = decryptionSecrets
    }

    /// An input that could not be opened at all.
    public static func unreadable(_ path: String, _ message: String) -> InputView {
        InputView(path: path, format: nil, bytes: 0, sha256: "", packets: 0, packetsSkipped: 0, firstTimeNanos: nil,
                  lastTimeNanos: nil, linkTypes: [], comments: [],
                  errors: [ErrorView(kind: "unreadable", packet: nil, offset: nil, message: message)], readable: false,
                  decryptionSecrets: 0)
    }
}

public struct PolicyView: Sendable {
    public let name: String
    public let sha256: String
    public let source: String
}

/// The handshakes, plaintext flows and findings of one server, as the text
/// report groups them: the server's name and endpoint, in order of first mention.
public struct ServerGroup: Sendable {
    public let title: String
    public internal(set) var handshakes: [Int] = []
    public internal(set) var findings: [Int] = []
    public internal(set) var plaintextFlows: [Int] = []
}

/// Everything a run found, each description derived once, in a deterministic
/// order. Every writer renders this and nothing else.
public struct Report: Sendable {
    public let toolName = "wirecheck"
    public let toolVersion: String
    /// The run's own timestamp: the one field that differs between runs on the same inputs.
    public let generatedAt: String
    public let policy: PolicyView
    public let inputs: [InputView]
    public let flows: [FlowView]
    public let handshakes: [HandshakeView]
    public let findings: [FindingView]
    /// The sharing record: every recipient, in order of first contact.
    public let recipients: [RecipientView]
    public let statistics: DissectionStatistics
    /// Protocol anomalies by kind, in the catalogue's order (kinds never seen are left out).
    public let anomalies: [(kind: String, count: Int)]
    /// Every cap of `Limit`, in catalogue order, with its hits (zero when never hit).
    public let limits: [LimitView]
    /// Flows the report's flow list leaves out (`--max-flows-in-report`).
    public let flowsOmitted: Int
    public let failOn: Severity?
    /// Raw PI values are shown (`--reveal`).
    public let revealsPersonalInformation: Bool
    public let groups: [ServerGroup]
    /// Findings per severity, most severe first, and per rule in catalogue order.
    public let severityCounts: [(severity: Severity, count: Int)]
    public let ruleCounts: [(rule: String, count: Int)]
    public let failingFindings: Int

    public var highestSeverity: Severity? { severityCounts.first { $0.count > 0 }?.severity }
    public func count(_ severity: Severity) -> Int { severityCounts.first { $0.severity == severity }?.count ?? 0 }
    public var packets: Int { inputs.reduce(0) { $0 + $1.packets } }
    public var packetsSkipped: Int { inputs.reduce(0) { $0 + $1.packetsSkipped } }
    public var inputErrors: Int { inputs.reduce(0) { $0 + $1.errors.count } }

    init(toolVersion: String, generatedAt: String, policy: Policy, inputs: [InputView], flows: [FlowView],
         handshakes: [HandshakeView], findings: [FindingView], recipients: [RecipientView], statistics: DissectionStatistics,
         anomalies: [ProtocolAnomaly: Int], limits: LimitCounters, flowsOmitted: Int, failOn: Severity?, reveal: Bool) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.policy = PolicyView(name: policy.name, sha256: policy.sha256, source: policy.source)
        self.inputs = inputs
        self.flows = flows
        self.handshakes = handshakes
        self.findings = findings
        self.recipients = recipients
        self.statistics = statistics
        self.anomalies = ProtocolAnomaly.allCases.compactMap { kind in anomalies[kind].map { (kind.rawValue, $0) } }
        self.limits = Limit.allCases.map { LimitView(limit: $0, count: limits.count($0), skippedBytes: limits.skipped($0)) }
        self.flowsOmitted = flowsOmitted
        self.failOn = failOn
        revealsPersonalInformation = reveal
        var bySeverity: [Severity: Int] = [:]
        var byRule: [String: Int] = [:]
        for finding in findings {
            bySeverity[finding.severity, default: 0] += 1
            byRule[finding.rule.rawValue, default: 0] += 1
        }
        severityCounts = Severity.allCases.reversed().map { ($0, bySeverity[$0, default: 0]) }
        ruleCounts = RuleID.allCases.compactMap { rule in byRule[rule.rawValue].map { (rule.rawValue, $0) } }
        failingFindings = failOn.map { threshold in findings.filter { $0.severity >= threshold }.count } ?? 0
        groups = Self.group(flows: flows, handshakes: handshakes, findings: findings)
    }

    /// Groups by server: `name (endpoint)`, the endpoint alone, or `capture`.
    static func group(flows: [FlowView], handshakes: [HandshakeView], findings: [FindingView]) -> [ServerGroup] {
        var order: [String] = []
        var groups: [String: ServerGroup] = [:]
        func key(name: String?, server: EndpointView?) -> String {
            let endpoint = server?.text ?? "capture"
            return name.map { "\($0) (\(endpoint))" } ?? endpoint
        }
        func add(_ key: String, _ update: (inout ServerGroup) -> Void) {
            if groups[key] == nil {
                order.append(key)
                groups[key] = ServerGroup(title: key)
            }
            update(&groups[key]!)
        }
        for (index, handshake) in handshakes.enumerated() {
            add(key(name: handshake.groupName, server: handshake.server)) { $0.handshakes.append(index) }
        }
        for (index, finding) in findings.enumerated() {
            add(key(name: finding.serverName, server: finding.server)) { $0.findings.append(index) }
        }
        for (index, flow) in flows.enumerated() where flow.isPlaintext {
            add(key(name: flow.serverName, server: flow.server)) { $0.plaintextFlows.append(index) }
        }
        return order.compactMap { groups[$0] }
    }
}

/// One cap: how often it was hit and what that skipped.
public struct LimitView: Sendable {
    public let name: String
    public let count: Int
    public let unit: String
    public let skippedBytes: Int
    public let consequence: String
    public var wasHit: Bool { count > 0 || skippedBytes > 0 }

    init(limit: Limit, count: Int, skippedBytes: Int) {
        name = limit.rawValue
        self.count = count
        unit = limit.unit
        self.skippedBytes = skippedBytes
        consequence = limit.consequence
    }
}
