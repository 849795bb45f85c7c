import Facts
import Flows

/// Requirements §1 (socket mode) and §2: personal information must not
/// cross the network unencrypted. One finding per (PI type, value, flow),
/// with the repeats counted; the message shows only the masked value.
struct PersonalInformationRules {
    let policy: Policy

    static let credentialTypes: Set<PIType> = [.password, .authToken, .basicAuth]

    func rule(for type: PIType) -> RuleID {
        if type == .faceImage { return .biometricSampleSent }
        if Self.credentialTypes.contains(type) { return .credentialsPlaintext }
        return policy.sensitivePITypes.contains(type) ? .sensitivePIPlaintext : .personalInformationPlaintext
    }

    /// One finding per type for the distinct values past the folder's examples.
    func evaluateOverflow(_ overflow: [PIType: (observation: PIObservation, values: Set<Int>)], flow: FlowFact) -> [Finding] {
        PIType.allCases.compactMap { type -> Finding? in
            guard let (observation, values) = overflow[type] else { return nil }
            let sighting = observation.first
            let rule = rule(for: type)
            let distinct = values.count >= PISightingFolder.maximumDistinctTracked ? "over \(values.count)" : "\(values.count)"
            let whereText = sighting.http.map { " (\($0.method ?? "HTTP") \($0.path ?? ""))" } ?? ""
            let message = "\(distinct) more distinct \(type.displayName) values sent in plaintext over \(sighting.carrier.rawValue)\(whereText), "
                + "\(observation.count) sightings, beyond the first \(PISightingFolder.maximumValuesPerType) reported one by one; the first of them: \(sighting.match.masked)"
            let evidence = [
                EvidenceItem("pi_type", type.rawValue), EvidenceItem("aggregated", "true"),
                EvidenceItem("distinct_values", distinct), EvidenceItem("sightings", "\(observation.count)"),
                EvidenceItem("example", sighting.match.masked), EvidenceItem("carrier", sighting.carrier.rawValue),
            ]
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: sighting.file,
                           flow: sighting.flow, packets: observation.packets, timeNanos: sighting.first.timeNanos,
                           serverName: flow.serverName?.name, client: flow.client, server: flow.server,
                           evidence: evidence, personalInformation: observation)
        }
    }

    func evaluate(_ observations: [PIObservation], flow: FlowFact) -> [Finding] {
        observations.compactMap { observation in
            let sighting = observation.first
            let match = sighting.match
            guard observation.confirmed || match.confidence >= policy.minimumPIConfidence else { return nil }
            let rule = rule(for: match.type)
            var whereText = ""
            if let http = sighting.http {
                whereText = " (\(http.method ?? "HTTP") \(http.path ?? "")\(match.field.map { ", field \($0)" } ?? ""))"
            } else if let field = match.field {
                whereText = " (field \(field))"
            }
            let direction = sighting.sender == .client ? "sent by the client" : "sent by the server"
            let repeats = observation.count > 1 ? ", \(observation.count) times" : ""
            let confirmed = observation.confirmed ? " — the test device's own identifier" : ""
            let message = "\(match.type.displayName) \(direction) in plaintext over \(sighting.carrier.rawValue)\(whereText): \(match.masked)\(repeats)\(confirmed)"
            var evidence = [
                EvidenceItem("pi_type", match.type.rawValue),
                EvidenceItem("masked", match.masked),
                EvidenceItem("decoding", match.decoding.joined(separator: " → ")),
                EvidenceItem("carrier", sighting.carrier.rawValue),
            ]
            if let detail = match.detail { evidence.append(EvidenceItem("detail", detail)) }
            return Finding(rule: rule, severity: rule.entry.defaultSeverity, message: message, file: sighting.file,
                           flow: sighting.flow, packets: observation.packets, timeNanos: sighting.first.timeNanos,
                           serverName: flow.serverName?.name, client: flow.client, server: flow.server,
                           evidence: evidence, personalInformation: observation)
        }
    }
}
