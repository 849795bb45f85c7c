import Analyzers
import Capture
import Detectors
import Enrichers
import Facts
import ReportModel
import Rules
import WireBytes

/// The one engine every mode drives: packet sources → dissector (flows and
/// analyzers) → enrichers → rules and the report model. Items reach
/// `onItem` as soon as they are known (streaming writers, live output).
public final class Engine {
    private let pipeline: Pipeline
    private let builder: ReportBuilder
    private let stream: any FactSink
    private let rules: RuleEngine
    private let dissector: Dissector
    private var inputs: [InputView] = []
    private let onProgress: ((ProgressView) -> Void)?

    /// Progress is reported every this many packets (a packet count, not a
    /// clock, so that a run over the same files streams the same lines).
    public static let progressInterval = 65_536

    init(pipeline: Pipeline, inputPaths: [String], onItem: ((ReportItem) -> Void)?, onProgress: ((ProgressView) -> Void)?) {
        self.pipeline = pipeline
        self.onProgress = onProgress
        let inspection = pipeline.makeInspection()
        let masking = WireTextRedactor(inspector: inspection?.inspector ?? PIInspector(device: pipeline.device))
        let counters = LimitCounters()
        let builder = ReportBuilder(inputPaths: inputPaths, reveal: pipeline.reveal, masking: masking,
                                    maximumFlows: pipeline.maximumFlowsInReport, counters: counters, onItem: onItem)
        self.builder = builder
        let rules = RuleEngine(policy: pipeline.policy, thirdParty: pipeline.thirdParty, counters: counters) { finding in builder.add(finding) }
        self.rules = rules
        let enriched = EnricherChain.standard(catalog: pipeline.catalog, firstParty: pipeline.firstPartyDomains, next: FactFanOut([builder, rules]))
        stream = enriched
        // SNI and Host are scanned for PI before naming and attribution see them.
        let names: any FactSink = inspection.map { NameInspection(inspector: $0.inspector, next: enriched) } ?? enriched
        dissector = Dissector(limits: pipeline.dissectionLimits, inspection: inspection, registry: pipeline.registry, sink: names, counters: counters)
    }

    /// Reads one source to its end as input number `index`.
    func read(_ source: any PacketSource, as index: Int) {
        dissector.beginFile(index)
        var consumer = Consumer(engine: self, dissector: dissector, file: index, name: source.name)
        let summary = source.read(into: &consumer)
        dissector.finishAllFlows()
        var input = InputView(summary)
        input.declaredList = pipeline.thirdParty.declared.map(DeclaredListView.init)
        inputs.append(input)
    }

    /// An input that could not be opened is listed with its error.
    func unreadable(_ path: String, _ message: String) {
        inputs.append(.unreadable(path, message))
    }

    func finish(generatedAt: String) -> Report {
        let statistics = dissector.finish()
        let recipients = rules.finish()
        return builder.build(toolVersion: WirecheckVersion.current, generatedAt: generatedAt, policy: pipeline.policy,
                             inputs: inputs, recipients: recipients, statistics: statistics, failOn: pipeline.failOn)
    }

    private struct Consumer: PacketConsumer {
        let engine: Engine
        /// Held apart from `engine` so the per-packet call reaches it directly.
        let dissector: Dissector
        let file: Int
        let name: String
        var bytes: UInt64 = 0
        var sinceProgress = 0

        mutating func packet(_ record: PacketRecord, bytes packet: RawSpan) {
            dissector.process(packet: record.number, timeNanos: record.timestampNanos, linkType: record.linkType.rawValue,
                                     interface: record.interfaceIndex, bytes: packet)
            bytes += UInt64(record.capturedLength + 16)
            sinceProgress += 1
            if sinceProgress >= Engine.progressInterval {
                sinceProgress = 0
                let view = ProgressView(file: name, bytes: bytes, packets: record.number, flows: dissector.flowsSeen,
                                        handshakes: engine.builder.handshakeCount, findings: engine.builder.findingCount,
                                        personalInformation: engine.builder.personalInformationSightings)
                engine.builder.progress(view)
                engine.onProgress?(view)
            }
        }

        mutating func decryptionSecrets(_ secrets: DecryptionSecrets) {
            engine.stream.receive(.decryptionSecrets(DecryptionSecretsFact(type: secrets.type, data: secrets.data, file: file,
                                                                          afterPacket: secrets.afterPacket)))
        }
    }
}

extension InputView {
    init(_ summary: CaptureSummary) {
        self.init(path: summary.path, format: summary.format?.rawValue, bytes: summary.bytes, sha256: summary.sha256,
                  packets: summary.packets, packetsSkipped: summary.packetsSkipped,
                  firstTimeNanos: summary.firstTimestampNanos, lastTimeNanos: summary.lastTimestampNanos,
                  linkTypes: summary.linkTypes.map(\.name), comments: summary.comments,
                  errors: summary.diagnostics.map { ErrorView(kind: $0.kind.rawValue, packet: $0.packet, offset: $0.offset, message: $0.message) },
                  readable: true, decryptionSecrets: summary.decryptionSecretsBlocks)
    }
}

extension WireTextRedactor: WireTextMasking {}
