import Capture
import Detectors
import Dissection
import Reporters
import Rules

public enum WirecheckVersion {
    public static let current = "0.1.0"
}

/// Progress figures for a long run (shown on a terminal only).
public struct Progress: Sendable {
    public var file: String
    public var bytes: UInt64
    public var packets: Int
    public var flows: Int
    /// Completed handshakes and PI sightings so far: what the findings will be made from.
    public var handshakes: Int
    public var personalInformation: Int
}

/// The one engine the file, live and CI modes drive: inputs → dissection →
/// rules → a `Report`.
public struct Pipeline {
    public var policy: Policy
    public var limits = DissectionLimits()
    public var failOn: Severity?
    /// The test phone's own identifiers (--device), matched in every form.
    public var device: DeviceIdentifiers?
    /// Collects the PI scanner's CPU time and input bytes (--stats).
    public var scanMeter: ScanMeter?

    public init(policy: Policy, failOn: Severity?, device: DeviceIdentifiers? = nil) {
        self.policy = policy
        self.failOn = failOn
        self.device = device
    }

    func makeDissector() -> Dissector {
        guard policy.inspectPersonalInformation else { return Dissector(limits: limits) }
        var inspector = PIInspector(device: device)
        inspector.meter = scanMeter
        var inspection = PlaintextInspection(inspector: inspector)
        inspection.inspectUDP = policy.inspectUDP
        return Dissector(limits: limits, inspection: inspection)
    }

    /// Reads every input in order. An input that cannot be opened is listed
    /// with its error and the others are still analysed.
    public func run(inputs paths: [String], generatedAt: String,
                    progress: ((Progress) -> Void)? = nil) -> Report {
        let dissector = makeDissector()
        var inputs: [InputSummary] = []
        for (index, path) in paths.enumerated() {
            dissector.beginFile(index)
            let reader: CaptureFileReader
            do {
                reader = try CaptureFileReader(path: path)
            } catch {
                inputs.append(InputSummary(path: path, format: nil, bytes: 0, sha256: "", packets: 0, packetsSkipped: 0,
                                           firstTimeNanos: nil, lastTimeNanos: nil, linkTypes: [], comments: [],
                                           errors: [InputError(kind: "unreadable", packet: nil, offset: nil, message: error.message)],
                                           readable: false))
                continue
            }
            var bytesSeen: UInt64 = 0
            var sinceReport = 0
            let summary = reader.readAll { record, bytes in
                dissector.process(packet: record.number, timeNanos: record.timestampNanos,
                                  linkType: record.linkType.rawValue, bytes: bytes)
                if let progress {
                    bytesSeen += UInt64(record.capturedLength + 16)
                    sinceReport += 1
                    if sinceReport >= 65_536 {
                        sinceReport = 0
                        progress(Progress(file: path, bytes: bytesSeen, packets: record.number, flows: dissector.flowsSeen,
                                          handshakes: dissector.handshakesSeen, personalInformation: dissector.personalInformationSeen))
                    }
                }
            }
            inputs.append(InputSummary(summary))
        }
        let dissection = dissector.finish()
        let findings = TransportRules(policy: policy).evaluate(dissection)
        return Report(toolVersion: WirecheckVersion.current, generatedAt: generatedAt, policy: policy,
                      inputs: inputs, dissection: dissection, findings: findings, failOn: failOn)
    }
}

extension Pipeline {
    /// Live mode: the same engine fed by libpcap until the capture stops.
    public func runLive(_ capture: LiveCapture, count: Int?, seconds: Double?, generatedAt: String) -> Report {
        let dissector = makeDissector()
        dissector.beginFile(0)
        let summary = capture.run(count: count, seconds: seconds) { record, bytes in
            dissector.process(packet: record.number, timeNanos: record.timestampNanos,
                              linkType: record.linkType.rawValue, bytes: bytes)
        }
        let dissection = dissector.finish()
        let findings = TransportRules(policy: policy).evaluate(dissection)
        return Report(toolVersion: WirecheckVersion.current, generatedAt: generatedAt, policy: policy,
                      inputs: [InputSummary(summary)], dissection: dissection, findings: findings, failOn: failOn)
    }
}

extension InputSummary {
    init(_ summary: CaptureSummary) {
        self.init(path: summary.path, format: summary.format?.rawValue, bytes: summary.bytes, sha256: summary.sha256,
                  packets: summary.packets, packetsSkipped: summary.packetsSkipped,
                  firstTimeNanos: summary.firstTimestampNanos, lastTimeNanos: summary.lastTimestampNanos,
                  linkTypes: summary.linkTypes.map(\.name), comments: summary.comments,
                  errors: summary.diagnostics.map { InputError(kind: $0.kind.rawValue, packet: $0.packet, offset: $0.offset, message: $0.message) },
                  readable: true)
    }
}
