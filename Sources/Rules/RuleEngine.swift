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

    public init(policy: Policy, thirdParty: ThirdPartyConfiguration = ThirdPartyConfiguration(), onFinding: @escaping (Finding) -> Void) {
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
            let observations = sightings.removeValue(forKey: flow.id)?.observations ?? []
            var personal = personalInformation.evaluate(observations, flow: flow)
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
/// a flood of the same identifier costs one entry, not one per sighting.
struct PISightingFolder {
    private struct Key: Hashable {
        var type: PIType
        var value: String
    }

    private(set) var observations: [PIObservation] = []
    private var index: [Key: Int] = [:]

    mutating func add(_ sighting: PISighting) {
        let key = Key(type: sighting.match.type, value: sighting.match.value)
        if let existing = index[key] {
            observations[existing].add(sighting)
        } else {
            index[key] = observations.count
            observations.append(PIObservation(sighting))
        }
    }
}
