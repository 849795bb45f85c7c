import WireBytes
import Dissection
import Flows
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
import Rules

/// One input as the evidence header names it.
public struct InputSummary: Sendable {
    public var path: String
    public var format: String?
    public var bytes: UInt64
    public var sha256: String
    public var packets: Int
    public var packetsSkipped: Int
    public var firstTimeNanos: Int64?
    public var lastTimeNanos: Int64?
    public var linkTypes: [String]
    public var comments: [String]
    public var errors: [InputError]
    /// False when the file could not be read at all.
    public var readable: Bool

    public init(path: String, format: String?, bytes: UInt64, sha256: String, packets: Int, packetsSkipped: Int,
                firstTimeNanos: Int64?, lastTimeNanos: Int64?, linkTypes: [String], comments: [String],
                errors: [InputError], readable: Bool) {
        self.path = path
        self.format = format
        self.bytes = bytes
        self.sha256 = sha256
        self.packets = packets
        self.packetsSkipped = packetsSkipped
        self.firstTimeNanos = firstTimeNanos
        self.lastTimeNanos = lastTimeNanos
        self.linkTypes = linkTypes
        self.comments = comments
        self.errors = errors
        self.readable = readable
    }
}

public struct InputError: Sendable {
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

/// Everything a run found, in a deterministic order: reporters only render it.
public struct Report: Sendable {
    public var toolName = "wirecheck"
    public var toolVersion: String
    /// The run's own timestamp: the one field that differs between runs on the same inputs.
    public var generatedAt: String
    public var policy: Policy
    public var inputs: [InputSummary]
    public var flows: [FlowFact]
    public var handshakes: [HandshakeFact]
    public var findings: [Finding]
    public var statistics: DissectionStatistics
    public var failOn: Severity?
    /// Show raw PI values (--reveal); masked otherwise.
    public var revealPersonalInformation = false

    public init(toolVersion: String, generatedAt: String, policy: Policy, inputs: [InputSummary], dissection: DissectionResult,
                findings: [Finding], failOn: Severity?) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.policy = policy
        self.inputs = inputs
        self.flows = dissection.flows
        self.handshakes = dissection.handshakes
        self.statistics = dissection.statistics
        self.failOn = failOn
        self.findings = findings.sorted { lhs, rhs in
            if lhs.file != rhs.file { return lhs.file < rhs.file }
            if (lhs.flow ?? 0) != (rhs.flow ?? 0) { return (lhs.flow ?? 0) < (rhs.flow ?? 0) }
            if (lhs.packets.first ?? 0) != (rhs.packets.first ?? 0) { return (lhs.packets.first ?? 0) < (rhs.packets.first ?? 0) }
            if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
            return lhs.message < rhs.message
        }
        for finding in self.findings {
            severityCounts[finding.severity, default: 0] += 1
            ruleCounts[finding.rule, default: 0] += 1
        }
    }

    /// Counts per severity and per rule, taken once (reports can hold many findings).
    public private(set) var severityCounts: [Severity: Int] = [:]
    public private(set) var ruleCounts: [RuleID: Int] = [:]

    public func count(_ severity: Severity) -> Int { severityCounts[severity, default: 0] }

    /// Findings at or above the `--fail-on` threshold.
    public var failingFindings: Int {
        guard let failOn else { return 0 }
        return severityCounts.reduce(0) { $0 + ($1.key >= failOn ? $1.value : 0) }
    }

    public var highestSeverity: Severity? { severityCounts.keys.max() }

    public func inputPath(_ file: Int) -> String { file < inputs.count ? inputs[file].path : "?" }
}

/// Shared spellings for both reporters.
public enum Describe {
    public static func time(_ nanos: Int64?) -> String? {
        nanos.map(Timestamp.iso8601(nanoseconds:))
    }

    public static func transport(_ value: UInt8) -> String {
        switch value {
        case 6: "tcp"
        case 17: "udp"
        default: "ip-\(value)"
        }
    }
}
