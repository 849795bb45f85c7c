import Facts
import Flows

/// One named piece of evidence: the measured value and what it was held against.
public struct EvidenceItem: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A rule's verdict on something the capture showed, with what a tester
/// needs to file it: where (file, flow, packets, time), who (endpoints and
/// server name), and the measured values.
public struct Finding: Sendable {
    public var rule: RuleID
    public var severity: Severity
    public var message: String
    public var file: Int
    public var flow: Int?
    public var packets: [Int]
    public var timeNanos: Int64?
    public var serverName: String?
    public var client: Endpoint?
    public var server: Endpoint?
    public var evidence: [EvidenceItem]
    /// Set on personal-information findings.
    public var personalInformation: PIObservation?
    /// The recipient (sharing-record name) and its SDK id, for findings about one.
    public var recipient: String? = nil
    public var sdk: String? = nil
    /// Orders findings that share file, flow, packet and rule (a declared list's rows) before their messages do.
    public var ordinal: Int = 0

    public var clause: String { rule.entry.clause }
    public var title: String { rule.entry.title }
}
