import Facts

/// The rules, run on the event stream: a handshake is judged when it
/// completes, a flow and the PI it carried when it closes, so findings are
/// known while the capture is still being read. Each finding goes to
/// `onFinding` as soon as it is made.
public final class RuleEngine: FactSink {
    public let policy: Policy
    private let transport: TransportRules
    private let personalInformation: PersonalInformationRules
    private let thirdParties: ThirdPartyRules
    private let onFinding: (Finding) -> Void
    /// Sightings of each open flow, folded per (PI type, value) in the order first seen.
    private var sightings: [Int: PISightingFolder] = [:]

    /// Where folding beyond the examples is counted (the report's `limits`).
    private let counters: LimitCounters?

    public init(policy: Policy, thirdParty: ThirdPartyConfiguration = ThirdPartyConfiguration(), counters: LimitCounters? = nil,
                onFinding: @escaping (Finding) -> Void) {
        self.counters = counters
        self.policy = policy
        transport = TransportRules(policy: policy)
        personalInformation = PersonalInformationRules(policy: policy)
        thirdParties = ThirdPartyRules(policy: policy, configuration: thirdParty)
        self.onFinding = onFinding
    }

    public func receive(_ event: FactEvent) {
        thirdParties.observe(event)
        switch event {
        case .handshakeComplete(let handshake):
            report(transport.evaluate(handshake))
        case .piSighting(let sighting):
            sightings[sighting.flow, default: PISightingFolder()].add(sighting)
        case .flowClosed(let flow):
            var findings = transport.evaluate(flow)
            let folder = sightings.removeValue(forKey: flow.id)
            let observations = folder?.observations ?? []
            var personal = personalInformation.evaluate(observations, flow: flow)
            if let folder, !folder.overflow.isEmpty {
                personal += personalInformation.evaluateOverflow(folder.overflow, flow: flow)
                counters?.record(.findingExamples, count: folder.foldedSightings)
            }
            findings += thirdParties.flowClosed(flow, observations: observations)
            let recipient = thirdParties.recipient(of: flow)
            for index in personal.indices {
                personal[index].recipient = recipient
                personal[index].sdk = flow.sdk?.id
            }
            report(personal + findings)
        case .flowOpened, .httpMessage, .dnsAnswer, .anomaly, .decryptionSecrets:
            break
        }
    }

    /// After the last input: the findings only the whole capture can show
    /// (a declared SDK never reached), then the sharing record.
    public func finish() -> [RecipientRecord] {
        report(thirdParties.finish())
        return thirdParties.recipients()
    }

    private func report(_ findings: [Finding]) {
        for finding in transport.adjusted(findings) { onFinding(finding) }
    }
}

/// Identical sightings on one flow become one observation with a count, so
/// a flood of the same identifier costs one entry, not one per sighting; and
/// past `maximumValuesPerType` distinct values of one type, the rest fold
/// into one overflow observation per type (its count, and how many distinct
/// values it stands for), so a body of 290,000 different numbers costs a
/// few entries, not 290,000.
struct PISightingFolder {
    private struct Key: Hashable {
        var type: PIType
        var value: String
    }

    static let maximumValuesPerType = 16

    private(set) var observations: [PIObservation] = []
    private var index: [Key: Int] = [:]
    private var valuesPerType: [PIType: Int] = [:]
    /// Per type: the observation the overflow folds into, and the distinct values it holds (by hash).
    private(set) var overflow: [PIType: (observation: PIObservation, values: Set<Int>)] = [:]
    static let maximumDistinctTracked = 1 << 20

    mutating func add(_ sighting: PISighting) {
        let key = Key(type: sighting.match.type, value: sighting.match.value)
        if let existing = index[key] {
            observations[existing].add(sighting)
        } else if valuesPerType[key.type, default: 0] < Self.maximumValuesPerType {
            valuesPerType[key.type, default: 0] += 1
            index[key] = observations.count
            observations.append(PIObservation(sighting))
        } else if overflow[key.type] != nil {
            // In place: copying the set out and back would cost its size each sighting.
            overflow[key.type]!.observation.add(sighting)
            if overflow[key.type]!.values.count < Self.maximumDistinctTracked { overflow[key.type]!.values.insert(key.value.hashValue) }
        } else {
            overflow[key.type] = (PIObservation(sighting), [key.value.hashValue])
        }
    }

    /// Sightings folded into the overflow observations.
    var foldedSightings: Int { overflow.values.reduce(0) { $0 + $1.observation.count } }
}
